//go:build !unix

package tokenstore

import "io/fs"

// checkFolder: Windows keeps a user's files private by the ACLs of their
// profile folder, which Unix mode bits do not describe; nothing to check.
func checkFolder(string, fs.FileInfo) (*PermWarning, error) { return nil, nil }
