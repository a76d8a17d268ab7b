package themes

import (
	"regexp"
	"strings"
)

const safeguardingKey = "safeguarding"

// riskTerms signal that someone may not be safe now. Recall comes first: a
// missed disclosure is far worse than a person reading one that was not
// one, so negation never cancels these ("I don't want to be here"), and
// the list is wide on purpose. It follows the language of suicide-risk
// screening (passive and active thoughts, plans, means, preparation,
// goodbyes, burden, hopelessness, feeling trapped), self-harm in its
// common forms, abuse and coercive control happening now, and children at
// risk. Written in the first person; thirdPerson widens them to notes
// about someone else ("she wants to die", "he hits her").
var riskTerms = []string{
	// Active thoughts of suicide.
	"kill myself", "killing myself", "kill my self", "end my life", "ending my life", "end my own life", "end it all",
	"ending it all", "end it", "ending it", "end things", "ending things", "end everything", "take my own life",
	"taking my own life", "take my life", "suicide", "suicidal", "want to die", "wanna die", "want to be dead",
	"going to die", "thoughts of dying", "thinking about dying", "think about dying", "thoughts of death",
	"thoughts of ending", "thinking of ending", "thinking about ending", "unalive", "unaliving", "kms", "kys",
	"off myself", "top myself", "topping myself", "end myself", "self delete", "sewerslide",
	// Passive thoughts: not wanting to be here.
	"wish i was dead", "wish i were dead", "wish i was not here", "wish i was not alive", "wish i had not been born",
	"better off dead", "better off without me", "everyone would be better off", "be better off without",
	"no point going on", "no point in going on", "no point living", "no point in living", "no point in anything",
	"no point anymore", "no point any more", "no point carrying on", "no point in carrying on", "no point to life",
	"no point in life", "what is the point of living", "what is the point in living", "what is the point of anything",
	"no reason to live", "nothing to live for", "not worth living", "life is not worth", "tired of living",
	"tired of life", "sick of living", "done with life", "do not want to be here", "not want to be here",
	"not want to live", "not want to exist", "not want to be alive", "not be here anymore", "not be here any more",
	"not be here much longer", "rather be dead", "rather not be here", "rather not wake up", "not wake up",
	"never wake up", "sleep forever", "want to disappear", "disappear forever", "give up on life", "given up on life",
	"giving up on life", "want it all to end", "want it to end", "want it all to stop", "make it all stop",
	// Not being around; not able to keep going.
	"not going to be around", "won't be around", "will not be around", "not be around much longer",
	"not be around for long", "how much longer i can keep going", "how much longer i can go on",
	"how much longer i can cope", "how much longer i can take", "how much longer i can do this", "can't go on", "cannot go on", "can not go on", "can't carry on", "can not carry on",
	"can't keep going", "cannot keep going", "can not keep going", "can't do this anymore", "can't do this any more",
	"can not do this any more", "can not do this anymore", "can't take it anymore", "can not take it anymore",
	"can not take it any more", "can not take any more", "can not cope anymore", "can not cope any more",
	"can not cope any longer", "end of my tether", "end of my rope",
	// Burden, hopelessness, feeling trapped.
	"a burden", "burden to", "burden on my", "burden on everyone", "burden on them", "hopeless", "hopelessness",
	"no hope", "lost all hope", "lost hope", "given up hope", "trapped", "no way out", "no escape", "can not escape",
	// Safety now.
	"keep myself safe", "not keep myself safe", "not see a way out", "not see a future", "not see any future",
	"no future", "not safe", "in danger", "do not feel safe", "not feel safe", "feel unsafe", "unsafe at home",
	"not safe at home", "scared to go home", "afraid to go home", "nowhere safe", "safe with myself",
	// Self-harm.
	"self harm", "self-harm", "selfharm", "self harming", "self-harming", "self harms", "self-harms", "harm myself",
	"harming myself", "hurt myself", "hurting myself", "cutting myself", "cut myself", "cutting again", "started cutting",
	"cutting her arms", "cutting his arms", "cuts on my", "cut my arms", "cut my wrists", "my wrists", "burn myself", "burning myself",
	"burned myself", "scratching myself", "punch myself", "hitting myself", "starving myself", "scars",
	// Plans, means and preparation.
	"overdose", "overdosed", "my overdose", "took an overdose", "taken an overdose", "took an od", "an od", "od'd",
	"took too many", "took all my tablets", "took all my pills", "took a load of", "saving up my tablets",
	"saving my tablets", "saved up my tablets", "saved my tablets", "saving up pills", "saving pills",
	"saving up tablets", "collecting tablets", "collecting pills", "enough tablets", "enough pills", "stash of pills",
	"stash of tablets", "stockpiling", "stockpiled", "hoarding pills", "hoarding tablets", "pills hoarded",
	"tablets hoarded", "hoarded", "date in my head", "set a date", "picked a date", "made a plan", "have a plan to",
	"a plan to end", "planned it", "planning it", "written a note", "wrote a note", "suicide note", "goodbye letter",
	"goodbye letters", "goodbye note", "said my goodbyes", "saying goodbye", "giving away my", "gave away my",
	"given away my", "affairs in order", "hang myself", "hanging myself", "noose", "a rope", "ligature", "jump off",
	"jumping off", "jump in front", "step in front", "in front of a train", "in front of a bus", "on a bridge",
	"on the bridge", "off a bridge", "railway line", "train tracks", "razor", "blades", "drown myself",
	// Harm to others.
	"hurt someone", "hurt somebody", "harm someone", "hurt other people", "harm other people", "kill him", "kill her",
	"kill them", "hurt the baby", "harm my baby", "harm my child", "shake the baby", "thoughts of harming",
	// Abuse and violence happening now.
	// (a violent verb before "me", "her" or "the kids" is a rule below)
	"throws things", "threw things", "black eye", "bruises", "abusing me", "abuses me", "abused me", "being abused", "abusive partner", "abusive relationship",
	"domestic violence", "domestic abuse", "scared of him", "scared of my partner", "scared of my husband",
	"scared of my boyfriend", "scared of my dad", "scared of my ex", "afraid of my partner", "afraid of my husband",
	"frightened of him", "terrified of him", "afraid of him", "afraid of her", "scared of her", "frightened of her",
	"walking on eggshells", "threatens me", "threatened me", "threatened to kill", "threatening me", "threatens to",
	"threatened to", "threatening to", "gets rough", "rough with me", "gets violent", "violent when he",
	"violent when she", "he hits", "she hits", "he beats", "she beats", "raped", "rape", "sexual assault",
	"sexually assaulted", "forced me", "forces me", "makes me have sex", "touched me", "touching me", "stalking",
	"stalked", "forced marriage", "fgm", "trafficked", "trafficking", "honour based",
	// Coercive control.
	"checks my phone", "check my phone", "checking my phone", "goes through my phone", "tracks my phone", "tracks me",
	"controls my money", "takes my money", "controls everything", "controls me", "controlling partner",
	"controlling husband", "controlling boyfriend", "he is controlling", "she is controlling", "controlling behaviour",
	"coercive",
	"won't let me leave", "will not let me leave", "won't let me go out", "will not let me go out",
	"won't let me see my", "will not let me see my", "won't let me see friends", "will not let me see friends", "not allowed to leave", "not allowed out",
	"not allowed to go out", "not allowed to see", "locks me in", "locked me in", "stops me seeing", "stop me seeing",
	"scared to leave", "afraid to leave", "can not leave him", "can not leave her", "if i leave him",
	// Children at risk.
	"kids aren't safe", "children aren't safe", "kids are not safe", "children are not safe", "not safe around",
	"hits the kids", "hurts the kids", "hit the kids", "hurt the kids", "hits my son", "hits my daughter",
	"hurts my son", "hurts my daughter", "neglect", "neglected", "neglecting", "being groomed", "groomed", "grooming",
	"exploited", "county lines",
	// More ways of saying the same.
	"see a way out", "no way out", "only way out", "find a way out", "to live for", "want it to stop",
	"want everything to stop", "want it to be over", "want it all to be over", "tired of everything",
	"be here next year", "be here next week", "be here much longer", "not be here", "won't be here",
	"if i was gone", "if i were gone", "when i am gone", "once i am gone", "happier without me", "better without me",
	"easier without me", "hate myself", "feel worthless", "i am worthless", "wrote letters to", "written letters to",
	"writing letters to", "what he will do", "what he would do", "what he might do", "what he could do",
	"if i leave", "all my pills", "all my tablets", "all of my pills", "all of my tablets", "all my meds", "nobody feeding", "no one feeding", "not being fed", "not fed", "left home alone",
	"left on their own", "nobody looking after the", "drunk around the kids", "drinking around the kids",
	"not see the point", "not see any point", "see no point", "had enough", "have had enough", "go and join",
	"ready to join", "to be with her again", "to be with him again", "the rope", "rope", "have a plan", "got a plan",
	"a plan and a date", "made plans to", "looked up how", "googled how", "searched how", "how many it would take",
	"how many i would need", "ways to die", "how to end it", "extra tablets", "extra pills", "care if i wake up",
	"if i wake up", "if she wakes up", "if he wakes up", "if they wake up", "not to wake up", "drink myself",
	"black out", "blackout", "i am drowning", "feel like i am drowning", "for it to be over", "for it all to be over",
	"for it to end", "not being here", "not being around", "not going to be here", "not eaten", "not eating",
	"stopped eating", "making myself sick", "make myself sick", "hate my body", "purging", "skipping my insulin",
	"skip my insulin", "skipping my meds", "on purpose", "hurt at home", "being hurt", "being hit", "being beaten",
	"hit at home", "gets angry and", "breaks stuff", "breaks things", "smashes things", "smashing things",
	"comes in my room", "comes into my room", "come into my room", "touches me", "please do not tell",
	"do not tell him", "do not tell her", "do not tell my mum", "do not tell my dad", "missing from home",
	"gone missing", "went missing", "run away from home", "ran away from home", "kicked me out",
	"being left alone", "left alone for", "i am 9", "i am 10", "i am 11", "i am 12", "i am 13", "im 9", "im 10", "im 11",
	"im 12", "im 13",
	"not around", "if i was not here", "if i were not here", "ways to do it", "how to do it", "researching ways",
	"looked up ways", "still be here", "be here next", "i am done", "am so done", "done with everything",
	"nothing matters", "what is the point of me", "what is the point of it all", "what is the point anymore",
	"what is the point any more", "what is the point of going on", "what is the point of being here", "dark thoughts", "not existing", "stop existing", "thoughts about not",
	"do something stupid",
	// Notes that record a disclosure.
	"disclosed", "safeguarding concern", "raised a safeguarding", "safeguarding referral", "welfare check",
}

// thirdPerson widens first-person risk phrases to the words facilitators
// write in notes about someone else ("ending his life", "harm herself",
// "he hits her", "scared of her partner").
func thirdPerson(terms []string) []string {
	out := append([]string(nil), terms...)
	swaps := [][2]string{{"myself", "himself"}, {"myself", "herself"}, {"myself", "themselves"}, {"myself", "themself"},
		{"my own life", "his own life"}, {"my own life", "her own life"}, {"my own life", "their own life"},
		{"my life", "his life"}, {"my life", "her life"}, {"my life", "their life"},
		{" me", " her"}, {" me", " him"}, {" me", " them"},
		{"my ", "her "}, {"my ", "his "}, {"my ", "their "},
		{"i was", "she was"}, {"i was", "he was"}, {"i can", "she can"}, {"i can", "he can"}, {"i leave", "she leaves"}}
	seen := map[string]bool{}
	for _, t := range terms {
		seen[t] = true
	}
	for _, t := range terms {
		for _, sw := range swaps {
			if !hasPhrase(t, sw[0]) || (sw[0] == "my life" && strings.Contains(t, "my own life")) {
				continue
			}
			v := replacePhrase(t, sw[0], sw[1])
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// hasPhrase reports whether words occur in t as whole words.
func hasPhrase(t, words string) bool {
	return strings.Contains(" "+t+" ", " "+strings.TrimSpace(words)+" ")
}

func replacePhrase(t, from, to string) string {
	s := strings.ReplaceAll(" "+t+" ", " "+strings.TrimSpace(from)+" ", " "+strings.TrimSpace(to)+" ")
	return strings.TrimSpace(s)
}

// Fillers are skipped when risk phrases are matched: "I just want to die",
// "I honestly can't go on".
var fillers = map[string]bool{"just": true, "really": true, "even": true, "simply": true, "literally": true,
	"honestly": true, "actually": true, "sometimes": true, "seriously": true, "genuinely": true, "truly": true,
	"so": true, "very": true, "constantly": true, "often": true, "completely": true, "basically": true, "kind": true,
	"totally": true, "properly": true, "definitely": true, "probably": true}

// generalRisk are risk words that are also the names of services and
// topics ("suicide prevention", "domestic abuse services", "cutting
// funding"). When one of them is the only risk word in a sentence and it
// stands in such a phrase, the sentence is about services, not a person.
var generalRisk = map[string]bool{"suicide": true, "suicidal": true, "overdose": true, "domestic violence": true,
	"domestic abuse": true, "not safe": true, "in danger": true, "self harm": true, "self-harm": true,
	"self harming": true, "self-harming": true, "cutting": true, "neglect": true,
	"hopeless": true, "trapped": true, "rape": true, "stalking": true, "grooming": true, "exploited": true,
	"county lines": true, "coercive": true, "disclosed": true, "forced marriage": true, "fgm": true,
	"trafficking": true, "sexual assault": true, "welfare check": true, "a burden": true, "no hope": true}

// Words that, beside a general risk word, mark talk about services or
// policy rather than a person's own risk.
var policyWords = []string{"prevention", "training", "awareness", "strategy", "policy", "campaign", "advertis"}

// serviceNouns, right after a general risk word, make it the name of a
// service: "self-harm service", "domestic abuse team", "cutting budgets".
var serviceNouns = map[string]bool{"service": true, "services": true, "team": true, "teams": true, "charity": true,
	"charities": true, "course": true, "courses": true, "training": true, "awareness": true, "prevention": true, "risk": true, "survivor": true, "survivors": true, "advocate": true, "advocates": true, "advocacy": true,
	"strategy": true, "policy": true, "campaign": true, "leaflet": true, "leaflets": true, "funding": true, "budget": true, "budgets": true, "back": true, "down": true, "costs": true, "corners": true,
	"staff": true, "hours": true, "jobs": true, "the": true, "out": true, "waiting": true,
	"rates": true, "statistics": true, "figures": true, "research": true, "plan": true, "assessment": true}

// hypothetical words, just before a general risk word, make it a
// condition about someone else's threshold, not a disclosure: "they won't
// see him unless he's self-harming".
var hypothetical = map[string]bool{"unless": true}

// beforeGeneral: a general risk word just after one of these is spoken of,
// not disclosed: "bereaved by suicide", "if you mention self-harm", "are
// you suicidal".
var beforeGeneral = map[string]bool{"by": true, "mention": true, "mentions": true, "mentioned": true,
	"mentioning": true, "ask": true, "asked": true, "asking": true, "you": true, "your": true}

// supposedAt reports whether risk words at kept[i] are in a supposition
// about anyone at all: "what to do if someone talks about suicide",
// "if somebody writes that they're being abused".
func supposedAt(kept []token, i int) bool {
	for j := i - 1; j > 0 && j >= i-6; j-- {
		if kept[j-1].word == "if" && anyone[kept[j].word] {
			return true
		}
	}
	return false
}

var anyone = map[string]bool{"someone": true, "somebody": true, "anyone": true, "anybody": true, "people": true,
	"you": true, "a": true}

// deniedAt reports whether the risk words at kept[i] are denied right
// before them: "I'm not suicidal", "I've never felt suicidal", "I'd never
// hurt myself". Only a denial within two words counts, and only across
// words that do not change its sense, so "I can't stop hurting myself"
// and "I don't want to kill myself but" are still flagged.
func deniedAt(kept []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		w := kept[j].word
		if w == "not" || w == "never" || w == "no" {
			return true
		}
		if !denialGap[w] {
			return false
		}
	}
	return false
}

var denialGap = map[string]bool{"felt": true, "feel": true, "feeling": true, "been": true, "be": true, "am": true,
	"was": true, "is": true, "would": true, "will": true, "could": true, "ever": true, "i": true, "d": true}

// unlessNext holds risk words that mean something else before certain
// words: feeling unsafe going out is about the neighbourhood.
var unlessNext = func() func(term string, kept []token, at int) bool {
	outside := map[string]bool{"going": true, "out": true, "outside": true, "street": true, "streets": true,
		"estate": true, "area": true, "bus": true, "buses": true, "park": true, "neighbourhood": true, "walking": true, "night": true, "gangs": true,
		"gang": true}
	terms := map[string]bool{"not safe": true, "don't feel safe": true, "do not feel safe": true, "not feel safe": true,
		"feel unsafe": true}
	return func(term string, kept []token, at int) bool {
		if !terms[term] {
			return false
		}
		for j := at; j < len(kept) && j < at+3; j++ {
			if outside[kept[j].word] {
				return true
			}
		}
		return false
	}
}()

// riskRule catches risk said in words no list foresees: a word of the
// first set followed, within a few words of the same sentence, by one of
// the second ("I wish I could just die", "stab myself", "saving up my
// meds", "he punched me", "scared of my stepdad"). Words are matched on
// their stems.
type riskRule struct {
	first, second map[string]bool
	within        int
	either        bool            // the second may also come first ("pills I've been saving")
	notNext       map[string]bool // words after the second that undo it ("cut myself off", "hit me like a bus")
	notPrev       map[string]bool // words before the first that undo it ("it hit me")
}

func stems(words ...string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words {
		out[stem(w)] = true
	}
	return out
}

var riskRules = []riskRule{
	// Wanting to die.
	{first: stems("want", "wanted", "wish", "wanna", "rather", "hope", "tempted", "pray", "ready"),
		second: stems("die", "dead", "dying", "disappear", "unalive", "born"), within: 5},
	// Harm turned on oneself, in any form.
	{first: stems("hurt", "harm", "cut", "burn", "kill", "punish", "starve", "hit", "stab", "strangle", "drown",
		"poison", "scratch", "punch", "overdose", "suffocate", "choke"),
		second: stems("myself", "himself", "herself", "themselves", "themself"), within: 3,
		notNext: stems("off", "short")},
	// Gathering the means.
	{first: stems("saving", "saved", "stockpiling", "hoarding", "hoarded", "collecting", "stash", "enough", "whole", "load", "handful", "many", "extra"),
		second: stems("pills", "tablets", "meds", "medication", "paracetamol", "painkillers", "sleeping", "insulin"), within: 4, either: true},
	// Violence to a person.
	{first: stems("hit", "hits", "hitting", "beat", "beats", "beating", "punch", "punched", "kick", "kicked", "slap", "slapped",
		"strangle", "strangled", "choke", "choked", "push", "pushed", "shove", "batter", "battered", "attack", "attacked",
		"threaten", "threatened", "rape", "raped", "grab", "grabbed", "smack", "smacked", "hurt", "hurts", "strangles", "chokes", "shoves", "slaps",
		"kicks", "punches", "bit", "bites", "burnt", "burned", "stabbed", "raping", "touch", "touches", "touched",
		"touching"),
		second: stems("me", "her", "him", "us", "them", "kids", "children", "child", "son", "daughter", "baby", "mum",
			"brother", "sister", "wife", "girlfriend", "partner", "grandson", "granddaughter", "stepson", "stepdaughter"),
		within: 3, notNext: stems("like", "hard", "that", "up", "out"), notPrev: stems("it", "this", "that", "which", "what", "reality", "cuts")},
	// Throwing oneself at a place of danger.
	{first: stems("walk", "walking", "jump", "jumping", "step", "stepping", "throw", "drive", "driving", "go"),
		second: stems("canal", "river", "sea", "traffic", "train", "trains", "bridge", "roof", "balcony", "thames", "cliff", "motorway"), within: 4},
	// Fear of someone close.
	{first: stems("scared", "afraid", "frightened", "terrified", "fear"),
		second: stems("him", "partner", "husband", "boyfriend", "girlfriend", "wife", "dad", "father", "stepdad",
			"stepfather", "ex", "uncle", "brother"), within: 4},
}

// ruleHits returns the spans of the rules that fire in one sentence.
func ruleHits(kept []token) [][2]int {
	var out [][2]int
	for _, r := range riskRules {
		for i := range kept {
			if !r.first[kept[i].stem] || (i > 0 && r.notPrev[kept[i-1].stem]) || deniedAt(kept, i) || supposedAt(kept, i) {
				continue
			}
			for j := i + 1; j < len(kept) && j <= i+r.within; j++ {
				if r.second[kept[j].stem] {
					if j+1 >= len(kept) || !r.notNext[kept[j+1].stem] {
						out = append(out, [2]int{kept[i].start, kept[j].end})
					}
					break
				}
			}
			if r.either {
				for j := i - 1; j >= 0 && j >= i-r.within; j-- {
					if r.second[kept[j].stem] {
						out = append(out, [2]int{kept[j].start, kept[i].end})
						break
					}
				}
			}
		}
	}
	return out
}

// riskHits returns the risk phrases found in one sentence and their byte
// spans in it, and whether a risk phrase was found and set aside as
// denied, supposed or spoken of (the shipped model then does not flag the
// sentence's text on its own: shipped.go).
func (c *Coder) riskHits(s string, toks []token) ([]string, [][2]int, bool) {
	kept := make([]token, 0, len(toks))
	for _, t := range toks {
		if !fillers[t.word] {
			kept = append(kept, t)
		}
	}
	var found []string
	var spans [][2]int
	general, excluded := true, false
	for i := range kept {
		for _, p := range c.risk[kept[i].stem] {
			n := matchAt(kept, i, p)
			if n == 0 {
				continue
			}
			term := wordsOf(s, kept[i:i+n])
			if (!p.negated && deniedAt(kept, i)) || unlessNext(p.term, kept, i+n) || supposedAt(kept, i) {
				excluded = true
				continue
			}
			if generalRisk[p.term] && serviceTalk(kept, i, n) {
				excluded = true
			} else {
				general = general && generalRisk[p.term]
				found = appendUnique(found, term)
				spans = append(spans, [2]int{kept[i].start, kept[i+n-1].end})
			}
		}
	}
	if len(found) == 1 && general && isGeneralTalk(strings.ToLower(s)) {
		found, spans, excluded = nil, nil, true
	}
	for _, h := range ruleHits(kept) {
		found = appendUnique(found, s[h[0]:h[1]])
		spans = append(spans, h)
	}
	return found, spans, excluded
}

// serviceTalk reports whether the general risk word at kept[i:i+n] names a
// service or is a condition: "self-harm service", "unless he's self
// harming".
func serviceTalk(kept []token, i, n int) bool {
	if i+n < len(kept) && serviceNouns[kept[i+n].word] {
		return true
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if hypothetical[kept[j].word] {
			return true
		}
	}
	return (i > 0 && beforeGeneral[kept[i-1].word]) || (i > 1 && beforeGeneral[kept[i-2].word])
}

// withoutFillers drops the filler words from a risk phrase, as matching
// drops them from the text.
func withoutFillers(term string) string {
	words := strings.Fields(term)
	out := words[:0]
	for _, w := range words {
		if !fillers[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

func isGeneralTalk(sentence string) bool {
	for _, w := range policyWords {
		if strings.Contains(sentence, w) {
			return true
		}
	}
	return false
}

// pastAndResolved reports whether a text tells of risk that is over: it
// says the person is well now or that it was long ago ("I'm fine now",
// "years ago", "as a teenager", "in 2019"), and nothing in it says the risk
// is back or present ("again", "still", "lately", "right now").
func pastAndResolved(text string) bool {
	var b strings.Builder
	b.WriteByte(' ')
	for _, t := range tokenize(text) {
		b.WriteString(t.word)
		b.WriteByte(' ')
	}
	s := b.String()
	has := func(list []string) bool {
		for _, m := range list {
			if strings.Contains(s, " "+m+" ") {
				return true
			}
		}
		return false
	}
	if has(presentMarkers) {
		return false
	}
	return has(resolvedMarkers) || pastYear.MatchString(s)
}

var pastYear = regexp.MustCompile(` (in|back in|since) (19[5-9][0-9]|20[0-2][0-9]) `)

var resolvedMarkers = []string{"fine now", "ok now", "okay now", "better now", "well now", "good now", "doing well",
	"doing ok", "doing okay", "doing really well", "doing much better", "doing better", "better place",
	"good place now", "recovered", "years ago", "year ago", "long time ago", "as a teenager", "as a student",
	"as a child", "as a kid", "when i was younger", "when i was young", "when i was at uni", "when i was at school",
	"when i was a teenager", "when i was a student", "in my teens", "in my twenties", "used to", "years out",
	"stopped at", "no longer", "survivor", "in the past", "years later"}

var presentMarkers = []string{"again", "still", "right now", "at the moment", "currently", "these days", "lately",
	"recently", "this week", "this month", "this year", "tonight", "last night", "yesterday", "today", "every day",
	"every night", "most days", "most nights", "started", "anymore", "any more", "keep", "keeps",
	"want to", "wish", "going to", "will"}
