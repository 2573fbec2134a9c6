// Package savepoint lets tests stop a process at one exact point of a
// token save: after the temporary file is complete and before it is
// renamed into place, where a kill leaves a new token only in the
// temporary file. Production code never sets it.
package savepoint

// BeforeRename, when set, is called with the temporary file's path.
var BeforeRename func(tmpPath string)
