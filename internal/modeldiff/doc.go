// Package modeldiff answers "what moved?" between two versions of a model:
// the nodes added and removed, the dependency edges added, removed and
// changed (impact, failover group membership, min), the regions a node
// sits on, the attributes and sources that changed, and what that did to
// each service's single points of failure (order-1 failure domains under
// the hard-dependency semantics of domains.Find), gained and lost.
//
// Each side is a model file, a directory, or a git revision of one:
// "git:REV:path" is read with `git ls-tree` and `git show REV:file` into a
// temporary directory and loaded from there (includes within the same
// path resolve; positions are reported as git:REV:file).
//
// An edge is one (dependent, dependency) pair; its description lists every
// way the dependency appears among the dependent's depends_on entries (a
// single dependency with its impact, or a member of an any_of group with
// the group's members, min and impact). The implicit part-of dependency of
// a nested node on its parent is an edge like any other.
package modeldiff
