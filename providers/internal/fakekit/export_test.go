package fakekit

// RunForTest is run, for the table of every fake's command.
var RunForTest = run
