// Package openpsa reads fault trees in the Open-PSA Model Exchange Format
// (MEF, https://open-psa.github.io/mef/) into a faulttree.Builder, and
// writes a faulttree back as MEF so that other tools (SCRAM, XFTA) can
// check depgraph's results.
//
// Supported, checked against SCRAM 0.16.2 on SCRAM's own inputs
// (TestSCRAMAgrees): define-fault-tree, model-data and define-component
// containers with MEF roles (public names are global, private ones are
// reached by their path, "Tree.component.gate", as in SCRAM); define-gate
// with and, or, atleast, not, xor, nand, nor, iff, imply and cardinality;
// define-basic-event with a probability expression (float, int, bool,
// parameters, system-mission-time, arithmetic, exponential, GLM, Weibull,
// periodic-test in its 4-, 5- and 11-argument forms, and the means of the
// deviates); define-house-event with constants; typed and untyped
// references; define-CCF-group with the beta-factor, MGL, alpha-factor and
// phi-factor models, expanded into common-cause events as SCRAM does with
// --ccf (ccf.go); declarative define-substitution (no <source>), applied
// to the top event as SCRAM does for exact analyses (Model.Top). Refused
// by name: non-declarative substitutions (SCRAM refuses them for exact
// analyses too). Event trees are skipped; a file with nothing but event
// trees gets a message saying so. Several files may be passed together:
// a reference resolves to a definition in any of them.
//
// Write encodes every name reversibly into the MEF name pattern
// (EncodeName: "cloudflare/cdn" is "cloudflare_Scdn") and keeps the
// original in a <label>, so SCRAM's schema validation accepts the file.
//
// Errors are positioned ("openpsa: FILE:LINE:COL: message") and all of
// them are reported at once as an ErrorList, including every undefined
// reference and every cycle among gates.
package openpsa
