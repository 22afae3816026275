// Package proto holds outsidein's wire schemas; the generated Go code lives in
// proto/outsidein/v1. Regenerate it with `go generate ./proto/`.
package proto

//go:generate sh gen.sh
