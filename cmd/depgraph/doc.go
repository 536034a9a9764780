/*
Depgraph maps fourth-party risk: the failures that reach a company not from
its vendors but from its vendors' vendors and the cloud regions underneath
them.

A model is YAML (see docs/model.md): your services, your vendors, their
vendors and the providers, regions and zones underneath, with weighted edges
and failover groups. Bundled catalogs (catalogs/) supply sourced entries for
real clouds and vendors. Without -m, commands use the built-in example
(examples/acme.yaml).

Usage:

	depgraph <command> [flags]

# Usage: validate

	depgraph validate [-m FILE|DIR]... [--catalog DIR]... [--json]

Reads the model and reports every problem at once as file:line:col: message,
with hints. Cycles are reported as warnings. Exit code 2 when invalid.

# Usage: blast

	depgraph blast NODE... [-m FILE]... [--json] [--all] [--fail-on service-down|service-degraded] [-o FILE]

Fails the given nodes and lists what else fails or degrades, how much, and
the chain that explains it, layer by layer. Edges point from a dependent to
its dependency; a dependency with impact w and impairment x costs its
dependent w·x; losses combine as 1 − Π(1 − loss); a failover group has the
impairment of its min-th healthiest member; cycles get the least fixed point.
On the built-in example:

	$ depgraph blast azure/southcentralus
	Failing azure/southcentralus:
	  1 of your services down, 0 degraded; 12 nodes down and 0 degraded in all.

	Your services and components
	  down  100%  acme/llm-failover → azure/southcentralus/openai → azure/southcentralus
	  down  100%  acme/support-bot → acme/llm-failover → azure/southcentralus/openai → azure/southcentralus

	Third parties
	  down  100%  openai → azure/southcentralus
	  down  100%  openai/api → openai → azure/southcentralus

	Cloud services
	  down  100%  azure/southcentralus/openai → azure/southcentralus

	(7 more affected nodes are used by none of your services; --all lists them)

# Usage: graph

	depgraph graph [--focus NODE]... [--depth N] [--blast NODE]... [--format dot|svg|json] [-o FILE]

Draws the model (DOT by default; SVG through the built-in Graphviz),
cut down to a focus and marked with a blast radius.

# Usage: render

	depgraph render [FILE] [--format text|dot|svg] [-o FILE]

Turns saved JSON (a blast result, a graph view) back into text or a picture.

# Exit codes

	0  success
	1  the command failed
	2  bad usage or invalid input
	3  the analysis found what --fail-on asked to fail on
*/
package main
