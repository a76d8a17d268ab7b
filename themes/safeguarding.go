package themes

import "strings"

const safeguardingKey = "safeguarding"

// riskTerms signal that someone may not be safe now. Recall comes first: a
// missed disclosure is far worse than a person reading one that was not
// one, so negation never cancels these ("I don't want to be here").
var riskTerms = []string{
	"kill myself", "killing myself", "end my life", "ending my life", "end it all", "ending it all", "end things",
	"take my own life", "taking my own life", "take my life", "suicide", "suicidal", "want to die", "wanted to die",
	"wanting to die", "wish i was dead", "wish i were dead", "better off dead", "better off without me",
	"no point going on", "no point in going on", "no point living", "no point in living", "no reason to live",
	"don't want to be here", "dont want to be here", "not want to be here", "don't want to live", "not want to live",
	"not be here anymore", "not be here any more", "can't go on", "cannot go on", "can't carry on", "cant go on",
	"keep myself safe", "not safe", "self harm", "self-harm", "selfharm", "self harming", "harm myself", "harming myself",
	"hurt myself", "hurting myself", "cutting myself", "cut myself", "cutting again", "started cutting", "overdose",
	"overdosed", "saving up my tablets", "saving my tablets", "saved up my tablets", "saved my tablets", "saving up pills",
	"stockpiling", "tablets saved", "hang myself", "jump off", "jump in front", "disappear forever", "give up on life",
	"hits me", "hit me", "beats me", "beat me", "hurts me", "abusing me", "abuses me", "abused me", "domestic violence",
	"domestic abuse", "scared of him", "scared of my partner", "afraid of my partner", "frightened of him",
	"threatens me", "threatened to kill", "threatening me", "kids aren't safe", "children aren't safe",
	"not safe at home", "in danger", "nothing to live for", "rather be dead", "rather not wake up", "not wake up",
	// Plans and means.
	"my overdose", "took an overdose", "taken an overdose", "took an od", "hoarding pills", "hoarding tablets", "pills hoarded",
	"tablets hoarded", "hoarded", "stockpiled", "saving up tablets", "saving up pills", "date in my head", "set a date",
	"made a plan", "have a plan to", "written a note", "wrote a note", "goodbye letter", "goodbye note", "on a bridge",
	"on the bridge", "railway line", "train tracks", "in front of a train", "tie a noose", "noose", "a rope",
	// Not being around; not able to keep going.
	"not going to be around", "won't be around", "will not be around", "not be around much longer", "not be around for long",
	"how much longer i can keep going", "how much longer i can go on", "can't keep going", "cannot keep going",
	"can not keep going", "don't know how much longer", "can't do this anymore", "can't do this any more",
	"can not do this any more", "can not do this anymore", "everyone would be better off",
	// Not safe now at home.
	"don't feel safe", "do not feel safe", "not feel safe", "feel unsafe", "unsafe at home", "gets rough", "rough with me",
	"gets violent", "violent when he", "violent when she", "afraid of him", "afraid of her", "scared of her",
	"frightened of her", "he hits", "she hits", "hits her", "hits him", "hit her", "hits the kids", "hurts the kids",
}

// thirdPerson widens first-person risk phrases to the words facilitators
// write in notes about someone else ("ending his life", "harm herself").
func thirdPerson(terms []string) []string {
	out := append([]string(nil), terms...)
	swaps := [][2]string{{"myself", "himself"}, {"myself", "herself"}, {"myself", "themselves"}, {"myself", "themself"},
		{"my own life", "his own life"}, {"my own life", "her own life"}, {"my own life", "their own life"},
		{"my life", "his life"}, {"my life", "her life"}, {"my life", "their life"}}
	seen := map[string]bool{}
	for _, t := range terms {
		seen[t] = true
	}
	for _, t := range terms {
		for _, sw := range swaps {
			if strings.Contains(t, sw[0]) && !(sw[0] == "my life" && strings.Contains(t, "my own life")) {
				v := strings.ReplaceAll(t, sw[0], sw[1])
				if !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// Words that, beside "suicide" alone, mark talk about services or policy
// rather than a person's own risk.
var policyWords = []string{"prevention", "training", "awareness", "strategy", "policy", "campaign", "advertis"}

// riskTerms returns the risk phrases found in one sentence.
func (c *Coder) riskTerms(s string, toks []token) []string {
	var found []string
	for i := range toks {
		for _, p := range c.risk[toks[i].stem] {
			if n := matchAt(toks, i, p); n > 0 {
				found = appendUnique(found, wordsOf(s, toks[i:i+n]))
			}
		}
	}
	if len(found) == 1 && isGeneralTalk(strings.ToLower(found[0]), strings.ToLower(s)) {
		return nil
	}
	return found
}

func isGeneralTalk(term, sentence string) bool {
	if term != "suicide" && term != "overdose" && term != "domestic violence" && term != "domestic abuse" && term != "not safe" && term != "in danger" {
		return false
	}
	for _, w := range policyWords {
		if strings.Contains(sentence, w) {
			return true
		}
	}
	return false
}
