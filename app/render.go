package app

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

// pageViews implements fiber.Views. Each page is parsed once at start into
// its own set (layout + partials + the page as "content"), so rendering
// needs no lock and a failing template returns an error (a 500 with a
// reference) instead of printing Go's message into the page.
type pageViews struct {
	pages map[string]*template.Template
}

func loadViews(fsys fs.FS, funcs template.FuncMap) (*pageViews, error) {
	base := template.New("").Funcs(funcs)
	var pages []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(p, ".html")
		if strings.HasPrefix(name, "layouts/") || strings.HasPrefix(name, "partials/") {
			src, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			_, err = base.New(name).Parse(string(src))
			return err
		}
		pages = append(pages, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	v := &pageViews{pages: map[string]*template.Template{}}
	for _, name := range pages {
		src, err := fs.ReadFile(fsys, name+".html")
		if err != nil {
			return nil, err
		}
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := set.New("content").Parse(string(src)); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", path.Clean(name), err)
		}
		v.pages[name] = set
	}
	return v, nil
}

// Load is part of fiber.Views; everything was loaded by loadViews.
func (v *pageViews) Load() error { return nil }

// Render executes page name inside layout (or alone with no layout) into a
// buffer first, so a failure never sends half a page.
func (v *pageViews) Render(out io.Writer, name string, data any, layout ...string) error {
	set, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	entry := "content"
	if len(layout) > 0 && layout[0] != "" {
		entry = layout[0]
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, entry, data); err != nil {
		return err
	}
	_, err := out.Write(buf.Bytes())
	return err
}
