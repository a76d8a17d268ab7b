// Package static embeds codesign's stylesheets, scripts and images so the
// binary serves them itself: nothing is loaded from a CDN.
package static

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS
