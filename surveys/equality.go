package surveys

// PreferNotToSay is offered by every equality question.
var PreferNotToSay = Option{Value: "prefer_not_to_say", Label: "Prefer not to say"}

// EqualityPage is the standard equality-monitoring section: every question
// is optional and offers "Prefer not to say", so the section can be
// skipped as a whole. Ethnicity uses the ONS 2021 census categories for
// England and Wales, grouped under their five headings. localities are
// the areas residents choose from; "Outside the area" is added.
func EqualityPage(localities []Option) Page {
	loc := append(append([]Option(nil), localities...), Option{Value: "outside", Label: "I do not live in the area"}, PreferNotToSay)
	return Page{
		Title: "About you",
		Intro: "These questions are optional. We ask them to check that we are hearing from everyone, including people who are often not heard. Your answers are not linked to your name, and you can choose \"Prefer not to say\" for any of them.",
		Questions: []Question{
			equality("age_band", "What is your age?", opts("under_18", "Under 18", "age_18_24", "18 to 24", "age_25_34", "25 to 34", "age_35_44", "35 to 44",
				"age_45_54", "45 to 54", "age_55_64", "55 to 64", "age_65_74", "65 to 74", "age_75_plus", "75 or over")),
			{Key: "ethnicity", Type: Radio, Label: "What is your ethnic group?", Hint: "Choose the option that best describes your ethnic group or background.", Options: append(ethnicity(), PreferNotToSay)},
			equality("disability", "Do you have a physical or mental health condition or illness that has lasted, or is expected to last, 12 months or more?",
				opts("yes", "Yes", "no", "No")),
			equality("sex", "What is your sex?", opts("female", "Female", "male", "Male")),
			equality("gender_identity", "Is the gender you identify with the same as your sex registered at birth?",
				[]Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No, my gender is (please say, if you want to)", Other: true}}),
			equality("sexual_orientation", "Which of the following best describes your sexual orientation?",
				[]Option{{Value: "straight", Label: "Straight or heterosexual"}, {Value: "gay_lesbian", Label: "Gay or lesbian"},
					{Value: "bisexual", Label: "Bisexual"}, {Value: "other", Label: "Another sexual orientation (please say, if you want to)", Other: true}}),
			equality("religion", "What is your religion?",
				append(opts("none", "No religion", "christian", "Christian", "buddhist", "Buddhist", "hindu", "Hindu", "jewish", "Jewish",
					"muslim", "Muslim", "sikh", "Sikh"), Option{Value: "other", Label: "Any other religion (please say, if you want to)", Other: true})),
			equality("carer", "Do you look after, or give any help or support to, anyone because of a long-term health condition, disability or problems related to old age?",
				opts("no", "No", "yes_under_20", "Yes, up to 19 hours a week", "yes_20_49", "Yes, 20 to 49 hours a week", "yes_50_plus", "Yes, 50 or more hours a week")),
			{Key: "locality", Type: Radio, Label: "Which part of the area do you live in?", Options: loc},
		},
	}
}

func equality(key, label string, options []Option) Question {
	return Question{Key: key, Type: Radio, Label: label, Options: append(options, PreferNotToSay)}
}

func opts(pairs ...string) []Option {
	out := make([]Option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Option{Value: pairs[i], Label: pairs[i+1]})
	}
	return out
}

// ethnicity is the ONS 2021 list: 19 categories in 5 groups.
func ethnicity() []Option {
	group := func(g string, o []Option) []Option {
		for i := range o {
			o[i].Group = g
		}
		return o
	}
	other := func(v, l string) Option { return Option{Value: v, Label: l, Other: true} }
	var out []Option
	out = append(out, group("Asian, Asian British or Asian Welsh", append(opts("bangladeshi", "Bangladeshi", "chinese", "Chinese",
		"indian", "Indian", "pakistani", "Pakistani"), other("other_asian", "Any other Asian background")))...)
	out = append(out, group("Black, Black British, Black Welsh, Caribbean or African", append(opts("african", "African", "caribbean", "Caribbean"),
		other("other_black", "Any other Black, Black British or Caribbean background")))...)
	out = append(out, group("Mixed or multiple ethnic groups", append(opts("white_asian", "White and Asian", "white_black_african", "White and Black African",
		"white_black_caribbean", "White and Black Caribbean"), other("other_mixed", "Any other Mixed or multiple ethnic background")))...)
	out = append(out, group("White", append(opts("white_british", "English, Welsh, Scottish, Northern Irish or British", "irish", "Irish",
		"gypsy_traveller", "Gypsy or Irish Traveller", "roma", "Roma"), other("other_white", "Any other White background")))...)
	out = append(out, group("Other ethnic group", append(opts("arab", "Arab"), other("other_ethnic", "Any other ethnic group")))...)
	return out
}

// equalityKeys are the questions of the equality section, which residents
// may skip as a whole.
var equalityKeys = map[string]bool{"age_band": true, "ethnicity": true, "disability": true, "sex": true, "gender_identity": true,
	"sexual_orientation": true, "religion": true, "carer": true, "locality": true}
