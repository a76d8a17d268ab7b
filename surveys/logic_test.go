package surveys_test

import (
	"encoding/json"
	"strings"
	"testing"

	"codesign/surveys"
)

func TestValidDefinition(t *testing.T) {
	if err := sample().Validate(); err != nil {
		t.Fatalf("sample survey is invalid: %v", err)
	}
}

func TestDefinitionProblems(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*surveys.Survey)
		field string
		want  string
	}{
		{"duplicate key", func(s *surveys.Survey) { s.Pages[0].Questions[1].Key = "visited" }, "pages[0].questions[1].key", "already used"},
		{"bad key", func(s *surveys.Survey) { s.Pages[0].Questions[1].Key = "Age!" }, "pages[0].questions[1].key", "lower-case"},
		{"reserved key", func(s *surveys.Survey) { s.Pages[0].Questions[1].Key = "action" }, "pages[0].questions[1].key", "used by the form"},
		{"retired key", func(s *surveys.Survey) { s.RetiredKeys = []string{"age"} }, "pages[0].questions[1].key", "removed question"},
		{"condition on a later question", func(s *surveys.Survey) {
			s.Pages[0].ShowIf = &surveys.ShowIf{Conditions: []surveys.Condition{{Question: "helped", Op: surveys.Contains, Value: "staff"}}}
		}, "pages[0].show_if.conditions[0].question", "not an earlier question"},
		{"condition on an unknown option", func(s *surveys.Survey) { s.Pages[1].ShowIf.Conditions[0].Value = "maybe" }, "pages[1].show_if.conditions[0].value", "not one of the options"},
		{"unknown type", func(s *surveys.Survey) { s.Pages[0].Questions[1].Type = "slider" }, "pages[0].questions[1].type", "question type"},
		{"choice with one option", func(s *surveys.Survey) { s.Pages[0].Questions[0].Options = s.Pages[0].Questions[0].Options[:1] }, "pages[0].questions[0].options", "from 2"},
		{"duplicate option", func(s *surveys.Survey) { s.Pages[0].Questions[0].Options[1].Value = "yes" }, "pages[0].questions[0].options[1].value", "used twice"},
		{"contact without why", func(s *surveys.Survey) { s.Pages[2].Questions[0].Hint = "" }, "pages[2].questions[0].hint", "say why"},
		{"no title", func(s *surveys.Survey) { s.Title = " " }, "title", "Enter a title"},
		{"bad slug", func(s *surveys.Survey) { s.Slug = "Have Your Say" }, "slug", "lower-case"},
		{"closes before it opens", func(s *surveys.Survey) {
			now := sample().CreatedAt
			s.OpensAt, s.ClosesAt = ptr(now.Add(day)), ptr(now)
		}, "closes_date", "after the opening date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sv := sample()
			c.edit(sv)
			msgs := fieldsOf(t, sv.Validate())
			if !strings.Contains(msgs[c.field], c.want) {
				t.Errorf("message for %s = %q, want it to contain %q (all: %v)", c.field, msgs[c.field], c.want, msgs)
			}
		})
	}
}

func TestLogicChainsPruneHiddenAnswers(t *testing.T) {
	sv := sample()
	in := surveys.Answers{"visited": {"no"}, "helped": {"other"}, "why": {"because"}, "email": {"a@example.org"}}
	vis, kept := sv.Visible(in)
	if vis.Pages[1] {
		t.Fatal("page 2 shows although visited is no")
	}
	if vis.Questions["why"] {
		t.Error("why shows although its page is hidden (a chain must follow the page)")
	}
	if _, ok := kept["helped"]; ok {
		t.Error("an answer on a hidden page was kept")
	}
	if _, ok := kept["why"]; ok {
		t.Error("an answer depending on a pruned answer was kept")
	}
	if kept.Get("email") != "a@example.org" {
		t.Error("a visible answer was dropped")
	}
	in["visited"] = []string{"yes"}
	vis, _ = sv.Visible(in)
	if !vis.Pages[1] || !vis.Questions["why"] {
		t.Errorf("with visited=yes and helped=other both page 2 and why must show: %+v", vis)
	}
}

func TestConditionOperators(t *testing.T) {
	sv := sample()
	cond := &sv.Pages[1].Questions[1].ShowIf.Conditions[0]
	base := surveys.Answers{"visited": {"yes"}}
	cases := []struct {
		op     surveys.Op
		value  string
		helped []string
		match  string
		extra  string // a second condition on visited, if set
		want   bool
	}{
		{surveys.Equals, "staff", []string{"staff"}, "", "", true},
		{surveys.Equals, "staff", []string{"staff", "peers"}, "", "", false},
		{surveys.NotEquals, "staff", []string{"peers"}, "", "", true},
		{surveys.Contains, "peers", []string{"staff", "peers"}, "", "", true},
		{surveys.NotContains, "peers", []string{"staff", "peers"}, "", "", false},
		{surveys.NotContains, "peers", nil, "", "", true},
		{surveys.Contains, "staff", []string{"peers"}, "any", "yes", true},
		{surveys.Contains, "staff", []string{"staff"}, "all", "no", false},
		{surveys.Contains, "staff", []string{"staff"}, "all", "yes", true},
	}
	for i, c := range cases {
		cond.Op, cond.Value = c.op, c.value
		sif := sv.Pages[1].Questions[1].ShowIf
		sif.Match = c.match
		sif.Conditions = sif.Conditions[:1]
		if c.extra != "" {
			sif.Conditions = append(sif.Conditions, surveys.Condition{Question: "visited", Op: surveys.Equals, Value: c.extra})
		}
		a := surveys.Answers{"visited": base["visited"], "helped": c.helped}
		if vis, _ := sv.Visible(a); vis.Questions["why"] != c.want {
			t.Errorf("case %d (%s %s, match %q): shown = %v, want %v", i, c.op, c.value, c.match, !c.want, c.want)
		}
	}
}

func TestCleanAnswers(t *testing.T) {
	sv := sample()
	cases := []struct {
		name  string
		in    surveys.Answers
		field string
		want  string
	}{
		{"required missing", surveys.Answers{}, "visited", "Select an answer to \u201cHave you used a hub?\u201d"},
		{"unknown key", surveys.Answers{"visited": {"no"}, "nope": {"x"}}, "nope", "no question with this key"},
		{"unknown option", surveys.Answers{"visited": {"perhaps"}}, "visited", "Select one of the answers given"},
		{"two answers to a radio", surveys.Answers{"visited": {"yes", "no"}}, "visited", "Give one answer"},
		{"too long", surveys.Answers{"visited": {"no"}, "story": {strings.Repeat("é", 31)}}, "story", "30 characters or fewer. It has 31"},
		{"invalid utf-8", surveys.Answers{"visited": {"no"}, "story": {"\xff\xfe"}}, "story", "characters we cannot read"},
		{"not a number", surveys.Answers{"visited": {"no"}, "age": {"twelve"}}, "age", "Enter a number"},
		{"number too big", surveys.Answers{"visited": {"no"}, "age": {"121"}}, "age", "120 or less"},
		{"bad email", surveys.Answers{"visited": {"no"}, "email": {"me at home"}}, "email", "correct format"},
		{"required on a shown page", surveys.Answers{"visited": {"yes"}}, "helped", "Select at least one"},
		{"chained required", surveys.Answers{"visited": {"yes"}, "helped": {"other"}}, "why", "Enter an answer"},
		{"other key without other option", surveys.Answers{"visited": {"no"}, "visited.other": {"x"}}, "visited.other", "no question"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := sv.Clean(c.in)
			msgs := fieldsOf(t, err)
			if !strings.Contains(msgs[c.field], c.want) {
				t.Errorf("%s: %q, want %q (all %v)", c.field, msgs[c.field], c.want, msgs)
			}
		})
	}
}

func TestHiddenRequiredIsNotRequired(t *testing.T) {
	sv := sample()
	out, err := sv.Clean(surveys.Answers{"visited": {"no"}, "why": {"stray"}, "story": {"  <script>alert(1)</script> "}})
	if err != nil {
		t.Fatalf("hidden required questions must not be required: %v", err)
	}
	if _, ok := out["why"]; ok {
		t.Error("answer to a hidden question kept")
	}
	if out.Get("story") != "<script>alert(1)</script>" {
		t.Errorf("text must be stored as typed (trimmed): %q", out.Get("story"))
	}
}

func TestAnswersFromJSONWrongType(t *testing.T) {
	raw := map[string]json.RawMessage{"a": json.RawMessage(`"x"`), "b": json.RawMessage(`["p","q"]`), "c": json.RawMessage(`12.5`),
		"d": json.RawMessage(`true`), "e": json.RawMessage(`{"x":1}`), "f": json.RawMessage(`[1,2]`)}
	a, f := surveys.AnswersFromJSON(raw)
	if a.Get("a") != "x" || len(a["b"]) != 2 || a.Get("c") != "12.5" {
		t.Errorf("good values misread: %v", a)
	}
	for _, k := range []string{"d", "e", "f"} {
		if f.Messages[k] == "" {
			t.Errorf("%s: a wrong kind of value was accepted", k)
		}
	}
}
