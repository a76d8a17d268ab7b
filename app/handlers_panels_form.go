package app

import (
	"strconv"
	"strings"
	"unicode"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

var panelFormFields = []string{"name", "slug", "purpose", "members_do", "time_commitment", "term_months", "rate_kind", "rate",
	"method_bank_transfer", "method_vouchers", "expenses_covered", "support", "recruit_open", "recruit_from", "recruit_until", "target_size"}

// panelTargetDimensions is the order the diversity targets are asked in.
var panelTargetDimensions = []string{"age_band", "ethnicity", "locality", "lived_experience"}

// panelTargetName is the form field for one target: target__age_band__16-24.
func panelTargetName(dim, value string) string { return "target__" + dim + "__" + value }

// panelFromForm reads the staff form. Money is typed in pounds; the last
// day of recruitment is a UK date, and applications close at the end of it.
func (a *App) panelFromForm(c *fiber.Ctx) (*panels.Panel, map[string]string, *errs.Fields) {
	form := map[string]string{}
	for _, n := range panelFormFields {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	f := &errs.Fields{}
	p := &panels.Panel{Name: form["name"], Slug: strings.ToLower(form["slug"]), Purpose: form["purpose"], MembersDo: form["members_do"],
		TimeCommitment: form["time_commitment"], RateKind: panels.RateKind(form["rate_kind"]), Support: form["support"],
		ExpensesCovered: form["expenses_covered"] == "yes", RecruitOpen: form["recruit_open"] == "yes"}
	if p.Slug == "" {
		p.Slug = panelSlugOf(p.Name)
		form["slug"] = p.Slug
	}
	var methods []string
	for _, m := range []string{"bank_transfer", "vouchers"} {
		if form["method_"+m] == "yes" {
			methods = append(methods, m)
		}
	}
	p.PaymentMethods = strings.Join(methods, ",")
	p.TermMonths = panelFormInt(f, form["term_months"], "term_months", "Enter the term length in months, like 12")
	p.TargetSize = panelFormInt(f, form["target_size"], "target_size", "Enter the number of members you want, like 12")
	if pence, err := panels.ParseMoney(form["rate"]); err != nil || form["rate"] == "" {
		f.Add("rate", "Enter the rate in pounds, like 25 or 25.50")
	} else {
		p.RatePence = pence
	}
	if s := form["recruit_from"]; s != "" {
		if d, ok := a.panelDay(s); ok {
			p.RecruitFrom = &d
		} else {
			f.Add("recruit_from", "Enter the date recruitment opens, like 2027-01-31")
		}
	}
	if s := form["recruit_until"]; s != "" {
		if d, ok := a.panelDay(s); ok {
			end := d.AddDate(0, 0, 1)
			p.RecruitUntil = &end
		} else {
			f.Add("recruit_until", "Enter the last day for applications, like 2027-02-28")
		}
	}
	p.SetTargets(a.targetsFromForm(c, form, f))
	return p, form, f
}

// targetsFromForm reads one number per answer; empty or 0 is no target.
func (a *App) targetsFromForm(c *fiber.Ctx, form map[string]string, f *errs.Fields) []panels.Target {
	var out []panels.Target
	for _, dim := range panelTargetDimensions {
		for _, o := range panels.Dimensions[dim] {
			if o.Key == panels.PreferNotToSay {
				continue
			}
			name := panelTargetName(dim, o.Key)
			v := strings.TrimSpace(c.FormValue(name))
			form[name] = v
			if v == "" || v == "0" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 500 {
				f.Add("targets", "Enter each target as a whole number of members between 0 and 500, like 2")
				continue
			}
			out = append(out, panels.Target{Dimension: dim, Value: o.Key, Min: n})
		}
	}
	return out
}

func panelFormInt(f *errs.Fields, s, field, msg string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Add(field, msg)
	}
	return n
}

// panelSlugOf makes a web address from a name: "Young people's panel" ->
// "young-peoples-panel".
func panelSlugOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case r == '\'' || r == '\u2019':
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 80 {
		s = strings.TrimRight(s[:80], "-")
	}
	return s
}

// formOfPanel fills the edit form from a stored panel.
func (a *App) formOfPanel(p *panels.Panel) map[string]string {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return ""
	}
	form := map[string]string{"name": p.Name, "slug": p.Slug, "purpose": p.Purpose, "members_do": p.MembersDo,
		"time_commitment": p.TimeCommitment, "term_months": strconv.Itoa(p.TermMonths), "rate_kind": string(p.RateKind),
		"rate": strings.TrimPrefix(panels.Money(p.RatePence), "£"), "expenses_covered": yes(p.ExpensesCovered), "support": p.Support,
		"recruit_open": yes(p.RecruitOpen), "target_size": strconv.Itoa(p.TargetSize)}
	for _, m := range p.Methods() {
		form["method_"+m] = "yes"
	}
	if p.RecruitFrom != nil {
		form["recruit_from"] = a.panelDayOf(*p.RecruitFrom)
	}
	if p.RecruitUntil != nil {
		form["recruit_until"] = a.panelDayOf(p.RecruitUntil.AddDate(0, 0, -1))
	}
	for _, t := range p.DiversityTargets() {
		form[panelTargetName(t.Dimension, t.Value)] = strconv.Itoa(t.Min)
	}
	return form
}

// panelTargetInput is one number box in the targets part of the form.
type panelTargetInput struct{ ID, Name, Label, Value string }

type panelTargetGroup struct {
	Label  string
	Inputs []panelTargetInput
}

// panelTargetGroups lays out the targets part of the form; the first box
// carries the id the error summary links to.
func panelTargetGroups(form map[string]string) []panelTargetGroup {
	var out []panelTargetGroup
	first := true
	for _, dim := range panelTargetDimensions {
		g := panelTargetGroup{Label: panels.DimensionLabels[dim]}
		for _, o := range panels.Dimensions[dim] {
			if o.Key == panels.PreferNotToSay {
				continue
			}
			name := panelTargetName(dim, o.Key)
			id := name
			if first {
				id, first = "targets", false
			}
			g.Inputs = append(g.Inputs, panelTargetInput{ID: id, Name: name, Label: o.Label, Value: form[name]})
		}
		out = append(out, g)
	}
	return out
}
