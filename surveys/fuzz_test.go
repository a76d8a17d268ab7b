package surveys

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const fuzzDefinition = `{"slug":"f","title":"Fuzz","status":"open","opens_at":null,"closes_at":null,"pages":[
{"title":"One","show_if":null,"questions":[
 {"key":"visited","type":"radio","label":"Visited?","required":true,"options":[{"value":"yes","label":"Yes"},{"value":"no","label":"No"}],"show_if":null},
 {"key":"helped","type":"checkbox","label":"What helped?","options":[{"value":"staff","label":"Staff"},{"value":"other","label":"Other","other":true}],
  "show_if":{"match":"all","conditions":[{"question":"visited","op":"equals","value":"yes"}]}},
 {"key":"age","type":"number","label":"Age","min":0,"max":120,"show_if":null},
 {"key":"when","type":"date","label":"When","show_if":null},
 {"key":"mail","type":"email","label":"Email","hint":"So we can tell you what happened.","personal":true,"show_if":null},
 {"key":"story","type":"textarea","label":"Story","max_length":50,
  "show_if":{"match":"any","conditions":[{"question":"helped","op":"contains","value":"other"},{"question":"visited","op":"not_equals","value":"yes"}]}}]},
{"title":"Two","show_if":{"match":"all","conditions":[{"question":"helped","op":"not_contains","value":"staff"}]},"questions":[
 {"key":"why","type":"text","label":"Why?","required":true,"show_if":null}]}]}`

func fuzzSurvey(t testing.TB) *Survey {
	sv, err := ParseDefinition(strings.NewReader(fuzzDefinition))
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// FuzzParseDefinition: any bytes are either refused with a message or give
// a survey whose own definition parses back to the same thing.
func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(fuzzDefinition))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"slug":"a","title":"t","status":"open","pages":[{"title":"p","questions":[{"key":"k","type":"scale","label":"l"}]}]}`))
	f.Add([]byte(`{"slug":"a","title":"t","pages":[{"title":"p","questions":[{"key":"k","type":"radio","label":"l","options":[{"value":"1","label":"x"},{"value":"1","label":"y"}]}]}]}`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sv, err := ParseDefinition(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		out, err := sv.Definition().MarshalIndented()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseDefinition(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("a survey's own definition is refused: %v\n%s", err, out)
		}
		out2, _ := again.Definition().MarshalIndented()
		if !bytes.Equal(out, out2) {
			t.Fatalf("definition changed on the round trip:\n%s\n---\n%s", out, out2)
		}
	})
}

// FuzzAnswers: any JSON answers object is either refused field by field or
// cleaned into answers that only hold questions that exist and show.
func FuzzAnswers(f *testing.F) {
	f.Add(`{"visited":"yes","helped":["staff","other"],"helped.other":"A friend","age":34,"when":"2026-01-02","mail":"a@b.co","story":"ok"}`)
	f.Add(`{"visited":"no","why":"","age":"x"}`)
	f.Add(`{"visited":["yes","no"],"helped":{"a":1},"age":1e400}`)
	f.Add(`{"visited":null,"unknown":true}`)
	sv := fuzzSurvey(f)
	f.Fuzz(func(t *testing.T, body string) {
		var raw map[string]json.RawMessage
		if json.Unmarshal([]byte(body), &raw) != nil {
			return
		}
		a, problems := AnswersFromJSON(raw)
		if problems != nil && problems.Has() {
			return
		}
		clean, err := sv.Clean(a)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		vis, _ := sv.Visible(clean)
		for k := range clean {
			key := strings.TrimSuffix(k, OtherKey(""))
			if q, _ := sv.Question(key); q == nil {
				t.Fatalf("clean answers hold unknown key %q", k)
			}
			if !vis.Questions[key] {
				t.Fatalf("clean answers hold hidden question %q", k)
			}
		}
		for _, q := range sv.Questions() {
			if q.Required && vis.Questions[q.Key] && len(clean[q.Key]) == 0 {
				t.Fatalf("required question %q shown but unanswered passed", q.Key)
			}
		}
	})
}

// FuzzLogic: whatever the answers, working out what shows never panics,
// and pruning is stable: pruned answers give the same visibility again.
func FuzzLogic(f *testing.F) {
	f.Add("yes", "staff", "other", "x")
	f.Add("no", "", "", "")
	f.Add("", "other", "other", "story")
	sv := fuzzSurvey(f)
	f.Fuzz(func(t *testing.T, visited, h1, h2, story string) {
		a := Answers{"visited": {visited}, "helped": {h1, h2}, "story": {story}, "why": {story}}
		vis, pruned := sv.Visible(a)
		vis2, pruned2 := sv.Visible(pruned)
		for k, v := range vis.Questions {
			if vis2.Questions[k] != v {
				t.Fatalf("visibility of %q changed after pruning", k)
			}
		}
		if len(pruned2) != len(pruned) {
			t.Fatalf("pruning twice removed more: %v then %v", pruned, pruned2)
		}
		pages := sv.VisiblePages(a)
		for _, p := range pages {
			if p < 0 || p >= len(sv.Pages) || !vis.Pages[p] {
				t.Fatalf("page %d listed but not visible", p)
			}
		}
	})
}

// FuzzSafeCell: no text answer reaches a spreadsheet as a formula, and
// nothing else is changed.
func FuzzSafeCell(f *testing.F) {
	for _, s := range []string{"=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "", "'=already"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := safeCell(v, Textarea)
		if got != "" && strings.ContainsRune("=+-@\t\r\n", rune(got[0])) {
			t.Fatalf("%q exported as %q, which a spreadsheet reads as a formula", v, got)
		}
		if got != v && got != "'"+v {
			t.Fatalf("%q changed to %q", v, got)
		}
		if n := safeCell(v, Number); n != v {
			t.Fatalf("a number cell was changed: %q -> %q", v, n)
		}
	})
}
