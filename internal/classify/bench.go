package classify

import _ "embed"

//go:embed benchdata/posts.jsonl
var builtinPosts []byte

// BuiltinPosts returns the built-in benchmark posts: JSON lines with "id" and
// "text", tweet-length brand mentions drawn from the project's corpus.
func BuiltinPosts() []byte { return builtinPosts }
