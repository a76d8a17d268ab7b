package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"codesign/surveys"

	"gorm.io/gorm"
)

// openSlug names the consultation residents can answer in the demo.
const openSlug = "early-help-islington"

// demoSurvey is a consultation with how many people answered it and how
// one person's answers are made up.
type demoSurvey struct {
	sv        *surveys.Survey
	responses int
	answer    func(r *rand.Rand, i int) surveys.Answers
}

// loadSurveys adds three consultations, so staff pages have each status to
// show: the open one with about 300 responses, a closed one with 60 and a
// draft. Everything goes in one transaction, so a failure leaves no
// half-loaded consultation, and nothing happens if the open one exists.
func loadSurveys(ctx context.Context, db *gorm.DB) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ss := surveys.NewStore(tx)
		if _, err := ss.BySlug(ctx, openSlug); err == nil {
			return nil
		} else if !errors.Is(err, surveys.ErrNotFound) {
			return err
		}
		// What people say is the same on every load; when they said it
		// depends on today, so it comes from a stream of its own.
		talk, clock := rand.New(rand.NewPCG(2026, 11)), rand.New(rand.NewPCG(2026, 12)) // #nosec G404 -- demo content must repeat exactly; nothing here is secret
		for _, d := range []demoSurvey{
			{earlyHelpSurvey(), 300, earlyHelpAnswers},
			{crisisSurvey(), 60, crisisAnswers},
			{youngPeopleSurvey(), 0, nil},
		} {
			if err := ss.Create(ctx, nil, d.sv); err != nil {
				return fmt.Errorf("demo survey %q: %w", d.sv.Slug, err)
			}
			if d.responses == 0 {
				continue
			}
			if err := ss.Seed(ctx, d.sv, madeUp(talk, clock, d, ss.Now())); err != nil {
				return fmt.Errorf("demo responses to %q: %w", d.sv.Slug, err)
			}
		}
		return nil
	})
}

// madeUp makes up a survey's responses, dated between its opening and
// now (or its closing), oldest first so ids grow with time as they do
// when people answer one by one.
func madeUp(talk, clock *rand.Rand, d demoSurvey, now time.Time) []surveys.SeedResponse {
	from, to := *d.sv.OpensAt, now
	if d.sv.ClosesAt != nil && d.sv.ClosesAt.Before(to) {
		to = *d.sv.ClosesAt
	}
	if !to.After(from) {
		return nil
	}
	out := make([]surveys.SeedResponse, d.responses)
	for i := range out {
		ch := surveys.Channel(channelOdds.pick(talk))
		out[i] = surveys.SeedResponse{Answers: d.answer(talk, i), Channel: ch, SubmittedAt: when(clock, from, to, ch != surveys.ChannelOnline)}
	}
	slices.SortFunc(out, func(a, b surveys.SeedResponse) int { return a.SubmittedAt.Compare(b.SubmittedAt) })
	return out
}

// when picks a moment in [from, to): residents answer online between 7am
// and midnight, staff type up paper, phone and workshop answers in office
// hours (UTC, near enough London time for a demo).
func when(r *rand.Rand, from, to time.Time, staff bool) time.Time {
	days := int(to.Sub(from).Hours()/24) + 1
	for range 50 {
		hour := 7 + r.IntN(17)
		if staff {
			hour = 9 + r.IntN(8)
		}
		t := from.Truncate(24*time.Hour).AddDate(0, 0, r.IntN(days)).
			Add(time.Duration(hour)*time.Hour + time.Duration(r.IntN(3600))*time.Second)
		if !t.Before(from) && t.Before(to) {
			return t
		}
	}
	return from.Add(to.Sub(from) / 2) // a window too short for the hours above
}

func utc(y int, m time.Month, d, h, min int) *time.Time {
	t := time.Date(y, m, d, h, min, 0, 0, time.UTC)
	return &t
}

func options(pairs ...string) []surveys.Option {
	out := make([]surveys.Option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, surveys.Option{Value: pairs[i], Label: pairs[i+1]})
	}
	return out
}

// shownIf shows a page or question when an earlier question has one of
// the values given.
func shownIf(key string, values ...string) *surveys.ShowIf {
	s := &surveys.ShowIf{Match: "any"}
	for _, v := range values {
		s.Conditions = append(s.Conditions, surveys.Condition{Question: key, Op: surveys.Equals, Value: v})
	}
	return s
}

// localityOptions are the programme's localities, named with the places in
// them so residents can find their own.
func localityOptions() []surveys.Option {
	var out []surveys.Option
	for _, l := range localities() {
		out = append(out, surveys.Option{Value: l.Key, Label: l.Name + " (" + strings.TrimSuffix(l.Summary, ".") + ")"})
	}
	return out
}

// equalityPage is the standard equality section with the demo's localities.
func equalityPage() surveys.Page { return surveys.EqualityPage(localityOptions()) }

const crisisSignposting = "If you are finding things hard right now, you do not have to wait for this survey to end. " +
	"Call Samaritans free on 116 123 at any time, or call NHS 111 and choose option 2 for mental health. In an emergency call 999."

func earlyHelpSurvey() *surveys.Survey {
	return &surveys.Survey{
		Slug:    openSlug,
		Title:   "Shaping early help and prevention mental health support in Islington",
		Status:  surveys.Open,
		Minutes: 10,
		OpensAt: utc(2026, time.November, 1, 0, 0), ClosesAt: utc(2027, time.December, 31, 23, 59),
		Summary: "Tell us what helps you look after your mental health, what gets in the way of getting support, " +
			"and how services in Islington could work better together. It takes about 10 minutes and you can skip most questions.",
		Introduction: "Early help is the support people get before things reach a crisis: someone to talk to, a peer group, " +
			"talking therapies, help with money or housing, and the Fairer Together hubs in libraries and community centres.\n\n" +
			"We want to hear from anyone who lives, works or studies in Islington, whether or not you have ever used a mental health service. " +
			"There are no right or wrong answers, and you do not need to tell us anything you would rather keep to yourself. " +
			"You can save your answers and come back to them later.\n\n" +
			"If you would like to answer on paper, by phone or with someone to help you, ask at any Islington library " +
			"or at the Fairer Together hubs at Finsbury Library and 222 Upper Street.",
		WhoIsAsking: "Islington Council's Live Well Commissioning team is asking, with NHS North Central London, Islington Mind " +
			"and a group of experts by experience who helped write these questions.\n\n" +
			"Over 11 months we listened to more than 450 people and wrote a shared vision: everyone in Islington should get the help " +
			"they need for their mental health quickly, easily and without judgement. We will use your answers to decide how early help " +
			"and prevention support is planned and paid for, and we will publish what we heard and what we are doing about it.",
		PrivacyNotice: "Islington Council is the data controller for this consultation. We use your answers to plan mental health support, " +
			"as part of our public task.\n\n" +
			"Your answers are read by the project team and the experts by experience group. We publish quotes only where nobody can be identified, " +
			"and we never publish a number smaller than five. If you give your email address, it is kept apart from your answers, " +
			"used only to tell you what happened, and deleted when the project ends.\n\n" +
			"We keep your answers for two years after the consultation closes. If something you write makes us worried about your safety " +
			"or someone else's, a trained member of staff will read it. To see or delete your answers, contact us with the reference " +
			"you are given at the end.",
		Pages: []surveys.Page{
			{Title: "You and getting support", Questions: []surveys.Question{
				{Key: "looked_for_support", Type: surveys.Radio, Required: true,
					Label:   "Have you looked for support with your mental health in the last 12 months?",
					Hint:    "This could be from a GP, a service, a helpline, a community group or anyone else.",
					Options: options("yes", "Yes", "no", "No", "prefer_not_to_say", "Prefer not to say")},
				{Key: "first_place", Type: surveys.Checkbox,
					Label: "If you were worried about your mental health, where would you go first?", Hint: "Select all that apply.",
					Options: append(options("gp", "My GP practice", "pharmacy", "A pharmacy", "community_centre", "A community centre or hub",
						"faith", "A faith group or place of worship", "school", "A school, college or children's centre",
						"online", "Online, for example the NHS website or an app", "friends_family", "Friends or family",
						"helpline", "A helpline, like Samaritans", "library", "A library"),
						surveys.Option{Value: "other", Label: "Somewhere else", Other: true},
						surveys.Option{Value: "nowhere", Label: "I would not know where to go"})},
				{Key: "know_where", Type: surveys.Likert, Label: "I know where to go for support with my mental health in Islington"},
				{Key: "comfortable_ask", Type: surveys.Likert, Label: "I would feel comfortable asking for help"},
				{Key: "understand_me", Type: surveys.Likert, Label: "Services in Islington understand people like me and my community"},
			}},
			{Title: "When you asked for help", Intro: "You said you looked for support in the last 12 months. Tell us about the last time.",
				ShowIf: shownIf("looked_for_support", "yes"),
				Questions: []surveys.Question{
					{Key: "wait", Type: surveys.Radio, Label: "How long was it from first asking to getting support?",
						Options: options("under_two_weeks", "Less than 2 weeks", "two_to_six_weeks", "2 to 6 weeks",
							"six_weeks_to_three_months", "6 weeks to 3 months", "over_three_months", "More than 3 months",
							"still_waiting", "I am still waiting", "never_got_support", "I did not get support")},
					{Key: "ease", Type: surveys.Scale, Label: "How easy was it to get help?", Hint: "0 is very hard and 10 is very easy."},
					{Key: "what_happened", Type: surveys.Textarea, MaxLength: 1500, Label: "What happened when you asked for help?",
						Hint: "For example, who you spoke to, what they offered and how it felt."},
				}},
			{Title: "Your ideas", Intro: "Write as much or as little as you like. " + crisisSignposting, Questions: []surveys.Question{
				{Key: "what_helps", Type: surveys.Textarea, MaxLength: 1500, Label: "What helps you look after your mental health?",
					Hint: "This can be anything: people, places, activities or services."},
				{Key: "barriers", Type: surveys.Textarea, MaxLength: 1500, Label: "What gets in the way of getting support?"},
				{Key: "together", Type: surveys.Textarea, MaxLength: 1500, Label: "How could services work better together?",
					Hint: "Think about the council, the NHS, charities, community and faith groups."},
			}},
			{Title: "Hearing what happened", Questions: []surveys.Question{
				{Key: "email", Type: surveys.Email, Personal: true, Label: "Your email address",
					Hint: "Only if you would like us to tell you what we heard and what we are doing about it. " +
						"We keep it apart from your answers and delete it when the project ends."},
			}},
			equalityPage(),
		},
	}
}

func crisisSurvey() *surveys.Survey {
	return &surveys.Survey{
		Slug:    "crisis-support-at-night",
		Title:   "Crisis support at night: what would help",
		Status:  surveys.Closed,
		Minutes: 5,
		OpensAt: utc(2026, time.June, 1, 8, 0), ClosesAt: utc(2026, time.August, 31, 22, 59),
		Summary: "Tell us what would help you, or someone you care about, when mental health gets worse in the evening, at night or at the weekend.",
		Introduction: "Most services that help with mental health are open in the daytime, on weekdays. We want to know what happens " +
			"when people need help at other times, and what would make a difference. " + crisisSignposting,
		WhoIsAsking: "Islington Council and NHS North Central London, with Islington Mind. What you tell us will shape plans for a " +
			"crisis café and out-of-hours support in the borough.",
		PrivacyNotice: "Islington Council is the data controller. We do not ask for your name or contact details. " +
			"We publish only totals and quotes that identify nobody, and we keep your answers for two years after the survey closes.",
		Pages: []surveys.Page{
			{Title: "Your experience", Questions: []surveys.Question{
				{Key: "needed_at_night", Type: surveys.Radio, Required: true,
					Label: "In the last two years, have you or someone you care for needed urgent help with mental health in the evening, at night or at the weekend?",
					Options: options("yes_me", "Yes, I have", "yes_someone", "Yes, someone I care for", "no", "No",
						"prefer_not_to_say", "Prefer not to say")},
				{Key: "contacted", Type: surveys.Checkbox, Label: "Who did you contact?", Hint: "Select all that apply.",
					ShowIf: shownIf("needed_at_night", "yes_me", "yes_someone"),
					Options: append(options("nhs_111", "NHS 111", "crisis_line", "A mental health crisis line", "a_and_e", "A&E",
						"police", "The police", "samaritans", "Samaritans or another helpline", "friend_family", "A friend, neighbour or family member",
						"nobody", "Nobody"), surveys.Option{Value: "other", Label: "Someone else", Other: true})},
				{Key: "place_to_go", Type: surveys.Likert, Label: "A safe place to go in the evening, like a crisis café, would help people in Islington"},
			}},
			{Title: "What would help", Questions: []surveys.Question{
				{Key: "would_help", Type: surveys.Textarea, MaxLength: 1500, Label: "What would have helped, or would help, at night or at the weekend?"},
				{Key: "locality", Type: surveys.Radio, Label: "Which part of Islington do you live in?",
					Options: append(localityOptions(), surveys.Option{Value: "outside", Label: "I do not live in Islington"}, surveys.PreferNotToSay)},
			}},
		},
	}
}

func youngPeopleSurvey() *surveys.Survey {
	return &surveys.Survey{
		Slug:    "young-people-wellbeing",
		Title:   "Young people's wellbeing: what would help at school and college",
		Status:  surveys.Draft,
		Minutes: 5,
		OpensAt: utc(2027, time.January, 11, 8, 0), ClosesAt: utc(2027, time.February, 28, 23, 59),
		Summary: "For people aged 13 to 25 in Islington: tell us who you would talk to if you were worried, and what you would change.",
		Introduction: "This survey was written with young people from the Lift youth hub. It takes about 5 minutes. " +
			"You do not have to give your name. " + crisisSignposting + " You can also text SHOUT to 85258.",
		WhoIsAsking: "Islington Council's Bright Futures team and NHS North Central London.",
		Pages: []surveys.Page{
			{Title: "You and your school or college", Questions: []surveys.Question{
				{Key: "trusted_adult", Type: surveys.Radio, Required: true,
					Label:   "Is there an adult at your school or college you could talk to if you were worried?",
					Options: options("yes", "Yes", "no", "No", "not_sure", "I'm not sure")},
				{Key: "one_change", Type: surveys.Textarea, MaxLength: 1000,
					Label: "If you could change one thing about mental health support for young people, what would it be?"},
			}},
		},
	}
}

// odds are the values of one answer with their relative weights.
type odds []choice

type choice struct {
	v string
	w int
}

func (o odds) pick(r *rand.Rand) string {
	total := 0
	for _, c := range o {
		total += c.w
	}
	n := r.IntN(total)
	for _, c := range o {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return o[len(o)-1].v
}

// some picks each value with its weight as a percentage, and the likeliest
// one if none was picked: the options ticked on a multiple-choice question.
func (o odds) some(r *rand.Rand) []string {
	var out []string
	for _, c := range o {
		if r.IntN(100) < c.w {
			out = append(out, c.v)
		}
	}
	if len(out) == 0 {
		out = []string{slices.MaxFunc(o, func(a, b choice) int { return cmp.Compare(a.w, b.w) }).v}
	}
	return out
}

var channelOdds = odds{{"online", 74}, {"paper", 10}, {"workshop", 7}, {"phone", 4}, {"assisted", 5}}

var likertOdds = map[string]odds{
	"know_where":      {{"strongly_disagree", 12}, {"disagree", 28}, {"neutral", 22}, {"agree", 28}, {"strongly_agree", 10}},
	"comfortable_ask": {{"strongly_disagree", 10}, {"disagree", 22}, {"neutral", 25}, {"agree", 30}, {"strongly_agree", 13}},
	"understand_me":   {{"strongly_disagree", 15}, {"disagree", 25}, {"neutral", 35}, {"agree", 18}, {"strongly_agree", 7}},
	"place_to_go":     {{"strongly_disagree", 3}, {"disagree", 5}, {"neutral", 12}, {"agree", 38}, {"strongly_agree", 42}},
}

// earlyHelpAnswers is one resident's answers to the open consultation. Some
// stop part way; about one in sixty says something a safeguarding lead
// must read.
func earlyHelpAnswers(r *rand.Rand, i int) surveys.Answers {
	a := surveys.Answers{}
	looked := odds{{"yes", 55}, {"no", 38}, {"prefer_not_to_say", 7}}.pick(r)
	a["looked_for_support"] = []string{looked}
	nowhere := 10 // people who have not looked for help are likelier not to know where to go
	if looked == "yes" {
		nowhere = 3
	}
	if r.IntN(100) < nowhere {
		a["first_place"] = []string{"nowhere"}
	} else {
		a["first_place"] = firstPlaceOdds.some(r)
		if slices.Contains(a["first_place"], "other") && r.IntN(10) < 7 {
			a[surveys.OtherKey("first_place")] = []string{oneOf(r, firstPlaceOther)}
		}
	}
	for _, k := range []string{"know_where", "comfortable_ask", "understand_me"} {
		if r.IntN(100) >= 5 {
			a[k] = []string{likertOdds[k].pick(r)}
		}
	}
	stop := r.IntN(100)
	if i%60 == 37 {
		stop = 100 // a disclosure is in the free text, so this one carries on
	}
	if stop < 6 {
		return a
	}
	if looked == "yes" {
		asked(r, a)
	}
	textAnswer(r, a, "what_helps", helps, 85)
	textAnswer(r, a, "barriers", barriers, 80)
	textAnswer(r, a, "together", together, 65)
	if i%60 == 37 {
		a["barriers"] = []string{strings.TrimSpace(riskLines[i/60%len(riskLines)] + " " + a.Get("barriers"))}
	}
	if stop < 10 {
		return a
	}
	if r.IntN(100) < 14 {
		a["email"] = []string{fmt.Sprintf("%s%d@%s", oneOf(r, emailNames), 10+r.IntN(90), oneOf(r, []string{"example.org", "example.com", "example.net"}))}
	}
	equality(r, a)
	return a
}

var firstPlaceOdds = odds{{"gp", 55}, {"friends_family", 45}, {"online", 30}, {"pharmacy", 12}, {"community_centre", 15},
	{"faith", 10}, {"school", 8}, {"library", 8}, {"helpline", 14}, {"other", 5}}

// asked answers the page shown only to people who looked for support:
// the longer the wait, the harder it felt.
func asked(r *rand.Rand, a surveys.Answers) {
	wait := odds{{"under_two_weeks", 18}, {"two_to_six_weeks", 15}, {"six_weeks_to_three_months", 20},
		{"over_three_months", 20}, {"still_waiting", 15}, {"never_got_support", 7}}.pick(r)
	if r.IntN(100) < 94 {
		a["wait"] = []string{wait}
	}
	ease := r.IntN(6) + r.IntN(6) // 0 to 10, mostly in the middle
	if wait == "under_two_weeks" {
		ease = min(10, ease+3)
	} else if wait == "still_waiting" || wait == "never_got_support" {
		ease = max(0, ease-3)
	}
	if r.IntN(100) < 95 {
		a["ease"] = []string{fmt.Sprint(ease)}
	}
	textAnswer(r, a, "what_happened", happened, 85)
}

func textAnswer(r *rand.Rand, a surveys.Answers, key string, v voices, percent int) {
	if r.IntN(100) < percent {
		a[key] = []string{v.answer(r)}
	}
}

// equality answers the equality section: a tenth skip it, the rest leave
// some questions blank and choose "Prefer not to say" for others.
func equality(r *rand.Rand, a surveys.Answers) {
	if r.IntN(10) == 0 {
		return
	}
	for _, q := range equalityOdds {
		if r.IntN(100) < 10 {
			continue
		}
		v := q.odds.pick(r)
		a[q.key] = []string{v}
		if words := otherWords[q.key+"/"+v]; words != nil && r.IntN(10) < 6 {
			a[surveys.OtherKey(q.key)] = []string{oneOf(r, words)}
		}
	}
}

var equalityOdds = []struct {
	key  string
	odds odds
}{
	{"age_band", odds{{"under_18", 2}, {"age_18_24", 9}, {"age_25_34", 22}, {"age_35_44", 20}, {"age_45_54", 16},
		{"age_55_64", 14}, {"age_65_74", 8}, {"age_75_plus", 4}, {"prefer_not_to_say", 5}}},
	{"ethnicity", odds{{"white_british", 36}, {"other_white", 13}, {"irish", 3}, {"african", 8}, {"caribbean", 4}, {"other_black", 2},
		{"bangladeshi", 3}, {"indian", 2}, {"chinese", 2}, {"pakistani", 1}, {"other_asian", 2}, {"white_black_caribbean", 2},
		{"white_black_african", 1}, {"white_asian", 2}, {"other_mixed", 2}, {"arab", 2}, {"other_ethnic", 4}, {"gypsy_traveller", 1},
		{"prefer_not_to_say", 6}}},
	{"disability", odds{{"yes", 42}, {"no", 50}, {"prefer_not_to_say", 8}}},
	{"sex", odds{{"female", 58}, {"male", 38}, {"prefer_not_to_say", 4}}},
	{"gender_identity", odds{{"yes", 91}, {"no", 3}, {"prefer_not_to_say", 6}}},
	{"sexual_orientation", odds{{"straight", 77}, {"gay_lesbian", 7}, {"bisexual", 6}, {"other", 2}, {"prefer_not_to_say", 8}}},
	{"religion", odds{{"none", 38}, {"christian", 29}, {"muslim", 14}, {"jewish", 2}, {"hindu", 2}, {"buddhist", 2}, {"sikh", 1},
		{"other", 3}, {"prefer_not_to_say", 9}}},
	{"carer", odds{{"no", 72}, {"yes_under_20", 12}, {"yes_20_49", 6}, {"yes_50_plus", 5}, {"prefer_not_to_say", 5}}},
	{"locality", localityOdds},
}

var localityOdds = odds{{"north", 33}, {"central", 30}, {"south", 30}, {"outside", 3}, {"prefer_not_to_say", 4}}

var otherWords = map[string][]string{
	"ethnicity/other_white":    {"Turkish", "Polish", "Italian", "Greek Cypriot", "Portuguese", "Albanian"},
	"ethnicity/other_black":    {"Black British", "Somali", "Eritrean"},
	"ethnicity/other_asian":    {"Sri Lankan Tamil", "Filipino", "Vietnamese", "Nepali"},
	"ethnicity/other_mixed":    {"White and Turkish", "Black Caribbean and Irish", "mixed, dad is Colombian"},
	"ethnicity/other_ethnic":   {"Kurdish", "Latin American", "Turkish Cypriot", "Colombian"},
	"gender_identity/no":       {"Non-binary", "Trans man", "Trans woman", "genderfluid"},
	"sexual_orientation/other": {"Queer", "Pansexual", "Asexual"},
	"religion/other":           {"Rastafari", "Spiritual but not religious", "Alevi", "Pagan"},
}

var firstPlaceOther = []string{"My housing officer", "The barber", "My boxing coach", "My support worker", "My union rep",
	"Work coach at the Job Centre", "Youth worker at the Lift", "My tutor at college", "The Turkish community centre",
	"My AA sponsor", "my midwife", "A&E if it was bad", "the counsellor I had before"}

var contactedOther = []string{"My key worker the next morning", "The out of hours GP", "My ex", "The hostel night staff"}

var emailNames = []string{"amina.h", "tom.reilly", "gracem", "dev.patel", "maria.c", "kofi.b", "siobhan", "jo.w", "fatima",
	"chris.o", "aylin.k", "mo.ahmed", "priya", "dan.f", "hannah.l", "yusuf", "bea.t", "olu"}

// crisisAnswers is one person's answers to the closed consultation.
func crisisAnswers(r *rand.Rand, i int) surveys.Answers {
	a := surveys.Answers{}
	needed := odds{{"yes_me", 45}, {"yes_someone", 25}, {"no", 25}, {"prefer_not_to_say", 5}}.pick(r)
	a["needed_at_night"] = []string{needed}
	switch {
	case !strings.HasPrefix(needed, "yes"):
	case r.IntN(100) < 8:
		a["contacted"] = []string{"nobody"}
	default:
		a["contacted"] = odds{{"nhs_111", 40}, {"crisis_line", 30}, {"a_and_e", 35}, {"police", 10}, {"samaritans", 20},
			{"friend_family", 35}, {"other", 5}}.some(r)
		if slices.Contains(a["contacted"], "other") {
			a[surveys.OtherKey("contacted")] = []string{oneOf(r, contactedOther)}
		}
	}
	if r.IntN(100) < 95 {
		a["place_to_go"] = []string{likertOdds["place_to_go"].pick(r)}
	}
	textAnswer(r, a, "would_help", nights, 85)
	if i%60 == 37 {
		a["would_help"] = []string{strings.TrimSpace(riskLines[len(riskLines)-1] + " " + a.Get("would_help"))}
	}
	if r.IntN(100) < 90 {
		a["locality"] = []string{localityOdds.pick(r)}
	}
	return a
}

func oneOf(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// voices are the words residents use for one question: whole sentences, a
// second thought to follow one, and the few words of a hurried answer.
type voices struct{ say, more, brief []string }

// answer is one resident's words: a few words, a sentence or two, or a
// longer answer in paragraphs, in the way that person writes.
func (v voices) answer(r *rand.Rand) string {
	var s string
	switch n := r.IntN(100); {
	case n < 18:
		s = brief(r, v.brief)
	case n < 72:
		s = oneOf(r, v.say)
		if r.IntN(2) == 0 {
			s += " " + oneOf(r, v.more)
		}
	default:
		i := r.IntN(len(v.say))
		j := (i + 1 + r.IntN(len(v.say)-1)) % len(v.say)
		sep := " "
		if r.IntN(3) == 0 {
			sep = "\n\n"
		}
		s = v.say[i] + sep + v.say[j] + " " + oneOf(r, v.more)
	}
	return style(r, s)
}

// brief lists one to three things, the way people jot them down.
func brief(r *rand.Rand, words []string) string {
	picked := make([]string, 0, 3)
	for _, k := range r.Perm(len(words))[:1+r.IntN(3)] {
		picked = append(picked, words[k])
	}
	switch r.IntN(4) {
	case 0:
		return "- " + strings.Join(picked, "\n- ")
	case 1:
		for i, p := range picked {
			picked[i] = strings.ToUpper(p[:1]) + strings.TrimRight(p[1:], "!")
		}
		return strings.Join(picked, ". ") + "."
	}
	return strings.Join(picked, ", ")
}

var (
	phoneTyping = strings.NewReplacer("'", "", "\u2019", "")
	misspelt    = strings.NewReplacer("really", "realy", "because", "cos", "definitely", "definately", "appointment", "appt",
		"people", "ppl", "receive", "recieve", "separate", "seperate", "Thursday", "thurs", "their ", "there ", "I'm", "im")
	signOffs = []string{"Thank you for asking.", "thanks", "Good luck with this.", "Hope this helps someone.", "x",
		"Please actually listen this time.", "Thanks for doing this survey.", "That's all."}
)

// style writes an answer the way different people type: quickly on a
// phone, with their own spellings, signing off, trailing off.
func style(r *rand.Rand, s string) string {
	switch n := r.IntN(100); {
	case n < 12:
		s = strings.TrimSuffix(strings.ToLower(phoneTyping.Replace(s)), ".")
	case n < 19:
		s = misspelt.Replace(s)
	case n < 24:
		s += " " + oneOf(r, signOffs)
	case n < 27:
		s = strings.ReplaceAll(s, ". ", "... ")
	}
	return s
}

// riskLines are disclosures a safeguarding lead must read the same day.
// They are rare, as in real consultations, and written as people write
// them: in passing, in the middle of something else.
var riskLines = []string{
	"Some nights I don't want to be here and there's nobody to ring who isn't a queue.",
	"Last winter I was saving up my tablets. I told my GP in the end and she got me seen that week, that's the only reason I'm filling this in.",
	"Honestly I can't keep going like this. The waiting list says 18 weeks and I don't know if I'll last that long.",
	"My partner gets rough with me when he's been drinking and I'm scared if I tell anyone they'll take the kids.",
	"I've self harmed since I was 15 and every time I go to A&E I feel judged and sent home.",
	"Theres no point going on some days, I go to work, come home and sit in the dark.",
}

var helps = voices{
	say: []string{
		"Walking. Every morning round Highbury Fields before work, even when I don't feel like it.",
		"My peer support group on a Thursday. Everyone there gets it and nobody looks at you funny.",
		"Going to the mosque and being around people who know me and my family.",
		"Having a GP who actually listens. My old one looked at the screen the whole time.",
		"The staff at the food bank. They always have time for a cup of tea and a chat, it's more than just the food.",
		"Sitting in Archway library. It's warm, it's quiet and nobody asks what you're doing there.",
		"Church on Sundays and the lunch club after.",
		"Talking to my sister on the phone most evenings.",
		"Swimming at the leisure centre, when I can afford it.",
		"The community garden on our estate. Getting my hands in the soil calms my head down.",
		"Cooking for other people. I volunteer at the community kitchen on Wednesdays.",
		"Routine. Getting up at the same time, making my bed, going out even for ten minutes.",
		"My dog. I have to take him out whatever mood I'm in.",
		"Music. I play guitar and write songs, it's how I get stuff out of my head.",
		"The women's group at the community centre. It started as a sewing class and now it's more like therapy.",
		"Being able to text my support worker rather than having to ring.",
		"Knowing there is somewhere I can just turn up without an appointment.",
		"Parkrun on a Saturday. It's free and nobody cares how slow you are.",
		"Sleep, eating properly and not drinking. Easier said than done.",
		"Talking therapy through iCope helped a lot once I finally got it.",
		"My kids. Taking them to the adventure playground gets me out of the flat.",
		"Praying, and my aunties checking in on me.",
		"Art classes at the library. I never thought I could draw.",
		"Football on a Tuesday night with the lads. We don't talk about feelings much but it helps.",
		"Having my own space. I was in temporary accommodation for two years and it wore me down. Now I've got a flat things are better.",
		"A meditation app, the free one, and turning my phone off after 9.",
		"The coffee morning at the children's centre when my baby was small. It was a lifeline.",
		"Volunteering at the charity shop. It gives me a reason to get up and people to talk to.",
		"My support worker from the housing association. She's the only one who has stuck with me.",
		"Being near water. I walk along the canal from Angel to King's Cross.",
		"Speaking to someone in my own language. I can explain how I feel properly in Turkish, not in English.",
		"The gym. It's the only hour of the day my head is quiet.",
		"The Somali community association. They helped my mum when nobody else did.",
		"Money not being so tight. When the bills are paid I sleep better, simple as that.",
		"Reading, crosswords, anything that keeps my mind busy.",
		"Yoga at the community centre, the pay-what-you-can class.",
		"A pharmacist I can ask things without booking.",
		"Friends who don't judge. A few of us have all been through it.",
		"My allotment. Six years on the waiting list but worth it.",
		"The men's shed. Making things with my hands and a bit of banter.",
		"The Parks for Health walks got me out when I couldn't manage on my own.",
		"My faith, and an imam who listens without lecturing.",
		"Seeing the same counsellor each time. I don't have to start again.",
		"Writing things down at night so they don't go round and round.",
		"The Thursday drop-in at the Fairer Together hub. The staff remember your name and nobody makes you feel like a patient.",
		"A group at the community centre run by people who've been through it themselves. Some weeks it's the only time I speak to anyone.",
		"Rhyme time at the library. I can bring my little one and talk to other mums.",
		"The lunch club at church. It lost its funding for a while last year and I really noticed the difference.",
		"My local park. It's close to home so I can still go on a bad day.",
		"The Saturday walking group. I didn't know it existed until a neighbour told me, and it costs nothing.",
	},
	more: []string{
		"Even an hour a week makes a difference.",
		"When I stop doing it I notice within a week.",
		"I wish I'd found it years ago.",
		"It's not 'mental health' as such but it keeps me well.",
		"I'd like more of it, honestly.",
		"That and being kinder to myself, which I'm still learning.",
		"Small things, but they add up.",
		"Its not perfect but it keeps me going.",
		"Sounds simple but it works for me.",
		"Nobody told me about any of this, I found it myself.",
		"It took me a long time to work that out.",
		"On a bad day none of it works, but it helps on the in-between days.",
		"Honestly that's about it.",
		"I'm still working out what helps.",
		"It keeps me steady.",
		"Having something to look forward to matters.",
	},
	brief: []string{"walking", "my dog", "church", "peer support", "talking to friends", "the gym", "my faith", "music",
		"sleep", "fresh air", "my family", "cooking", "being outside", "routine", "prayer", "the library", "swimming",
		"volunteering", "art", "my cat", "my support worker", "nothing really at the moment", "not sure", "running"},
}

var barriers = voices{
	say: []string{
		"Waiting lists. I was told 18 weeks for talking therapy and by then I'd lost my job.",
		"Being told I'm 'not ill enough' for one service and 'too complex' for another.",
		"Not knowing what is out there. I only found out about the hub by accident.",
		"Stigma in my community. People would talk if they saw me going in.",
		"Having to tell my story again and again to different people. It's exhausting and it brings it all back.",
		"Getting through to the GP at 8am. By quarter past all the appointments are gone.",
		"My English isn't good and they never book an interpreter. My son translates and I can't say everything in front of him.",
		"Everything is online now. I don't have a laptop and my phone data runs out.",
		"The cost of travel. If the appointment is across the borough it's two buses and I can't always afford it.",
		"Opening hours. Everything is 9 to 5 and I work shifts, so you end up at A&E because it's the only thing open.",
		"Being passed from one service to another, every time a new referral and a new wait.",
		"Nobody followed up after the referral. I just never heard anything.",
		"Childcare. I can't bring a toddler into a counselling session.",
		"Fear that if I said how bad it was they would take my kids.",
		"Forms. So many forms, and questionnaires asking me to rate my mood out of 10 every time.",
		"Not being believed, especially as a Black man. They see anger, not pain.",
		"The waiting room at the surgery is so busy and public that I turned round and left.",
		"Pride, to be honest. I was brought up not to talk about it.",
		"Not having a fixed address meant I kept getting dropped from lists.",
		"Services that don't understand my culture or my religion.",
		"Phone lines that ring out or keep you on hold for 40 minutes.",
		"I was discharged when I missed one appointment because I was too low to get out of bed.",
		"Being a carer. I don't have time to look after myself, let alone sit on hold.",
		"Services for young people stop at 18 and the adult ones feel completely different.",
		"Not feeling welcome. Reception staff can make or break whether you come back.",
		"Being offered an app when I needed a person.",
		"My housing. It's hard to think about therapy when there's mould on the walls and the kids keep getting ill.",
		"Nobody explains what the services are. IAPT, CMHT, iCope, it's all letters.",
		"Anxiety itself. The thing you need help with stops you asking for it.",
		"Being gay and not knowing if the counsellor will be OK with it.",
		"Money worries. You can't focus on your mental health when you're choosing between heating and eating.",
		"Long gaps between sessions, and then the sessions just end after six weeks.",
		"Trust. Last time I asked for help it went on my record and followed me.",
		"Being deaf. BSL interpreters are never available at short notice.",
		"Work. I can't take time off for appointments without losing pay.",
		"The referral went to the wrong place and nobody told me for three months.",
		"Long Covid. Getting anywhere takes all my energy.",
		"My GP just offered tablets. I wanted someone to talk to.",
		"Not knowing if what I'm going through is 'bad enough' to bother anyone with.",
		"Staff keep changing so you never build trust with anyone.",
	},
	more: []string{
		"It makes you want to give up asking.",
		"I know I'm not the only one.",
		"By the time help comes you're much worse.",
		"It feels like the system is designed to keep people out.",
		"I gave up in the end.",
		"My friend had exactly the same thing.",
		"And then they wonder why people don't engage.",
		"I'm lucky I had family to fall back on. A lot of people don't.",
		"It shouldn't be this hard.",
		"I'm not blaming the staff, they are stretched.",
		"That was two years ago and it's the same now.",
		"It made me feel like a number.",
		"I felt like a burden for even asking.",
		"It took me years to try again.",
		"Please sort this out.",
		"In the end a friend from church helped me more than any service.",
	},
	brief: []string{"waiting lists", "waiting times!!", "stigma", "not knowing where to go", "cost", "language", "no interpreter",
		"opening hours", "thresholds", "being judged", "too many forms", "no follow up", "money", "time", "everything is online",
		"phone queues", "GP appointments", "fear", "nothing, I found it ok", "travel"},
}

var together = voices{
	say: []string{
		"One door. You tell your story once and they sort out who you need to see, not you.",
		"Share records, with my permission, so I don't have to start from scratch every time.",
		"Someone should check in after a referral, even a text to say you're on the list and roughly how long it will be.",
		"Put support in places people already go: libraries, GP surgeries, children's centres, the mosque, the barbers.",
		"Give people one named person who knows them and stays with them while they're passed around. Trust takes time, so keep the same faces.",
		"GPs, housing and mental health teams need to actually talk to each other. My housing was making me ill and nobody joined it up.",
		"More staff who look like the community and understand our cultures. Not just a leaflet in another language.",
		"Peer support workers in every service, people who have been through it.",
		"Evening and weekend drop-ins, so people who work can use them.",
		"Stop bouncing people between services because of thresholds. If someone asks for help, help them or walk them to someone who will.",
		"A proper directory of what's out there, kept up to date, on paper as well as online.",
		"Joint appointments, so the money advice worker and the counsellor can be in the same room.",
		"Fund the small community groups who already do this work without being paid for it.",
		"Schools, youth workers and CAMHS working together so young people don't fall through the gap at 18.",
		"Train receptionists and front-line staff to be trauma-informed. First impressions matter.",
		"Follow up after A&E. I was sent home at 4am and nobody ever contacted me.",
		"Let the voluntary sector refer directly instead of everyone having to go back to the GP.",
		"Do it with us, not to us. Keep asking people with lived experience.",
		"A hub in each area where you can get help with money, housing and your mental health under one roof. That's what the Fairer Together hubs should be.",
		"Faith and community leaders should be trained and connected to services. People trust them.",
		"Stop making people fill in the same forms for every service.",
		"Text reminders, and a way to rearrange without being discharged.",
		"Think about the whole family, not just the one person in front of you.",
		"Book interpreters as standard, and BSL too.",
		"Less focus on targets and more on whether people actually feel better.",
		"Warm handovers. Introduce me to the next person, don't just give me a number.",
		"Mental health support at the food bank and the job centre, that's where people are struggling.",
		"Longer-term support, not six sessions and out.",
		"Be honest about waiting times and offer something in the meantime.",
		"Make the council website easier. I couldn't find anything on it.",
		"Anti-racist services. Ask Black residents what they need rather than assuming.",
		"Outreach on the estates. People who are isolated won't come to you.",
	},
	more: []string{
		"That would make a huge difference.",
		"It sounds obvious but it doesn't happen.",
		"Other boroughs seem to manage it.",
		"I'd happily help design it.",
		"Ask the people using the services, we know what works.",
		"It would save money in the long run too.",
		"Nothing fancy, just joined up.",
		"At the moment every service feels like its own island.",
		"People fall through the gaps otherwise.",
		"Make it feel human.",
		"And tell people what has changed, so we know you listened.",
		"Please don't let this be another survey that goes nowhere.",
		"I think this is the most important question here.",
	},
	brief: []string{"one door", "share information", "talk to each other!", "follow up", "a named worker", "joined up care",
		"more funding", "local hubs", "listen to us", "less paperwork", "don't know", "better communication", "no wrong door",
		"peer support", "drop ins"},
}

var happened = voices{
	say: []string{
		"I rang my GP at 8am three days running before I got through. The doctor was kind and referred me to iCope but the wait was 14 weeks.",
		"I was told I wasn't ill enough for the mental health team and to try an app.",
		"The worker at the Fairer Together hub in Finsbury Library sat with me, helped me fill in the self-referral and rang me a week later to check.",
		"I got six sessions of CBT on the phone. It helped a bit but it ended just as I was starting to open up.",
		"I went to A&E after a really bad night. They were kind but I was discharged with a leaflet and nothing after.",
		"My GP gave me sertraline and said come back in a month. Nobody asked about my housing or my money, which is what's really going on.",
		"I'm still waiting. It's been five months.",
		"I self-referred online, got an automated email, and then nothing for ten weeks.",
		"I was referred to three different services and each one said it was the other one's job.",
		"The health visitor noticed I wasn't right after the baby and got me seen quickly. I'll always be grateful to her.",
		"I asked at my son's school and the family support worker pointed me to a parents' group. That helped more than I expected.",
		"I had to explain everything again to every person. By the fourth time I stopped telling the whole story.",
		"They offered me counselling, but only in English and only online.",
		"A peer worker from Islington Mind met me for a coffee before my first group so I didn't walk in alone.",
		"Counselling through work, which was fine but limited to six sessions.",
		"The receptionist asked what it was about in front of the whole waiting room. I said 'nothing' and went home.",
		"I was on the waiting list for the community mental health team, then got a letter saying I'd been discharged because I didn't meet the criteria. No one had even met me.",
		"My social prescriber linked me up with a walking group and a debt advice session. Honestly the debt advice helped my mental health the most.",
		"I called the crisis line and it rang out. I tried again the next day and got someone lovely.",
		"I asked the imam first and he encouraged me to see the doctor, which made it feel OK.",
		"I paid for private therapy in the end because I couldn't wait. I'm in debt now because of it.",
		"The wellbeing service at my uni had a six week wait, so I got through my exams on my own.",
		"My support worker made the calls for me because I couldn't face the phone.",
		"A mental health nurse at the surgery called me back the same day. Best experience I've had.",
		"They said there's a group for that, but it was in the daytime and I work.",
		"A&E referred me to the home treatment team. They came to see me twice and then it stopped.",
		"It went well in the end, but only because my daughter kept pushing for me.",
		"The first person I spoke to was the pharmacist, and she was the one who told me to go back to the GP.",
		"I was told to phone back if things got worse. They did get worse.",
		"I filled in a questionnaire at the GP, scored high, and got a text with a link. Nothing human.",
	},
	more: []string{
		"This was for anxiety and panic attacks.",
		"This was after my dad died.",
		"This was about my drinking.",
		"This was for my son, not me. He's 17.",
		"This was after I lost my job.",
		"This was after my second baby.",
		"This was last winter.",
		"It's hard to write about.",
		"That's the short version.",
		"Mixed, really.",
	},
	brief: []string{"still waiting", "nothing", "got an app", "waited months", "GP was good", "passed around", "6 sessions",
		"not ill enough apparently", "long wait then ok"},
}

var nights = voices{
	say: []string{
		"Somewhere to go at night that isn't A&E. A crisis café with a sofa and someone to talk to.",
		"A phone line that actually answers at 3am, with someone local who knows what's around.",
		"Someone who can come out to the house, not the police.",
		"A text service for when I can't speak out loud because the kids are asleep.",
		"The crisis team calling back when they say they will.",
		"A safe place for young people, open late, that isn't a hospital.",
		"Peer workers on the night shift, people who've been there.",
		"A follow-up the next day after a bad night. Even a phone call.",
		"Not waiting nine hours in A&E on a trolley in a corridor.",
		"A quiet room at A&E for mental health. The noise and the lights make it worse.",
		"Knowing in advance who to call. Put the number on prescriptions, on buses, everywhere.",
		"Support for family members at night too. I didn't know what to do when my son was in that state.",
		"Interpreters on the crisis line. My mum doesn't speak English.",
		"Weekend drop-ins at the hubs.",
		"A crisis plan that every service can see, so I don't have to explain everything at 2am.",
		"Police who are trained, or better still not sending the police at all.",
		"Being able to walk in somewhere without a referral.",
		"Someone to sit with you until the morning.",
		"More beds locally so people aren't sent out of London.",
		"Someone to talk to about money and housing the next day, because that's usually what tips me over.",
		"Online chat for people who can't face the phone.",
		"A&E staff who don't treat you like a time waster.",
		"Information in different languages about what to do in a crisis.",
		"Nothing would have helped that night apart from my friend picking up. So maybe support for friends and family.",
	},
	more: []string{
		"It would have made a real difference.",
		"That night could have gone very differently.",
		"Most bad nights happen after 10pm.",
		"The daytime services are fine, it's the nights.",
		"I ended up calling 999 because there was nothing else.",
		"I'd use it, definitely.",
		"Nights are the worst.",
		"It needs to be local.",
	},
	brief: []string{"a crisis cafe", "somewhere to go", "answer the phone", "someone to talk to", "not the police", "a safe space",
		"follow up", "a 24 hour line"},
}
