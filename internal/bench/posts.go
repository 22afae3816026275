package bench

import _ "embed"

//go:embed posts.jsonl
var posts []byte

// Posts returns the classifier benchmark's posts: 2,000 JSON lines with "id"
// and "text", tweet-length brand mentions written like the project's corpus.
func Posts() []byte { return posts }
