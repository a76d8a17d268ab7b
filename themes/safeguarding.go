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
}

// Words that, beside "suicide" alone, mark talk about services or policy
// rather than a person's own risk.
var policyWords = []string{"prevention", "training", "awareness", "strategy", "policy", "campaign", "leaflet", "advertis"}

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
