// Package cli holds depgraph's cobra commands. Each command is an xOptions
// struct, a newXCmd(ios, runF) constructor whose RunE only validates flags
// and fills the options, and a runX function that calls the library
// packages and then a renderer. Main wires them up and maps errors to exit
// codes.
//
// Messages on stderr follow one rule set: they start with "depgraph: ",
// then a level ("error: ", "warning: ", "hint: "), are lower case and have
// no final period. Results go to stdout; everything else to stderr.
package cli
