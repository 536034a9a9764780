// Package openpsa reads fault trees in the Open-PSA Model Exchange Format
// (MEF, https://open-psa.github.io/mef/) into a faulttree.Builder, and
// writes a faulttree back as MEF so that other tools (SCRAM, XFTA) can
// check depgraph's results.
//
// Supported: define-fault-tree, model-data and define-component
// containers; define-gate with and, or, atleast, not, xor, nand, nor, iff,
// imply and cardinality; define-basic-event with a probability expression
// (float, int, parameters, system-mission-time, arithmetic, exponential,
// GLM, Weibull, periodic-test and the means of the deviates);
// define-house-event with constants; typed and untyped references
// (<gate>, <basic-event>, <house-event>, <event>). Several files may be
// passed together: a reference resolves to a definition in any of them.
// Common-cause groups and event trees are not supported.
//
// Errors are positioned ("openpsa: FILE:LINE:COL: message") and all of
// them are reported at once as an ErrorList, including every undefined
// reference and every cycle among gates.
package openpsa
