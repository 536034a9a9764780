// Package policy checks a model against a policy file: the rules a CI gate
// enforces on the dependency layer (`depgraph check`).
//
// A policy is a YAML file (the format is in docs/policy.md):
//
//	policy: 1
//	rules:
//	  - no_spof: {tags: [tier-1], allow: [acme/bot-backend]}
//	  - failover_independent: {}
//	  - max_concentration: {tags: [tier-1], percent: 50, kinds: [provider, region]}
//	  - max_source_age: {days: 365}
//
// Parse reads it the way internal/ingest reads models: by walking yaml.v3's
// node tree, so that every problem is positioned as file:line:col,
// unknown keys are refused with a "did you mean", and all problems come
// back at once in an ingest.ErrorList.
//
// Evaluate runs the rules on a model. Single points of failure and
// defeated failover groups come from domains.Find (order-1 failure
// domains under the hard-dependency semantics), concentration from
// blast.ByNode (what each node's failure alone takes down or degrades),
// source ages from model.Source.AsOf. Each Violation names the rule, the
// nodes involved and where it comes from: the node's (or failover
// group's) position in the model, and the rule's position in the policy.
// Output is deterministic: violations are sorted by rule order, then
// position, then message.
package policy
