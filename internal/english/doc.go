// Package english words counts for people: "1 failure domain", "2 failure
// domains". Every text output goes through it rather than writing "%d
// nodes", which reads "1 nodes".
package english
