// Package workbook writes the risk report as an Office Open XML workbook
// (.xlsx) for risk and procurement teams, who work in spreadsheets: one
// sheet per table (summary, services, single points of failure, failure
// domains, concentration, at-risk vendors, stale facts, edges), typed
// cells (numbers, Booleans and dates, never numbers as text), a bold,
// frozen header row with a filter on every table. It writes through
// github.com/xuri/excelize/v2; text is always a string cell, so a name
// that starts with "=" is never a formula.
package workbook
