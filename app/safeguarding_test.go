package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/audit"
	"codesign/messages"
	"codesign/safeguarding"
	"codesign/surveys"
)

const riskAnswer = `The library hub helped. <script>alert("x")</script> Some nights I want to end my life and nobody calls back.`

// flagAnswer submits a response to the demo consultation with words in
// "barriers" (and an email address when given), screens it as the
// background job would, and returns the queued item's id.
func flagAnswer(t *testing.T, h *harness, words, email string) uint {
	t.Helper()
	ctx := context.Background()
	sv, err := surveys.NewStore(h.db).BySlug(ctx, "early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	answers := surveys.Answers{"looked_for_support": {"no"}, "barriers": {words}}
	if email != "" {
		answers["email"] = []string{email}
	}
	st := surveys.NewStore(h.db)
	r, _, err := st.Submit(ctx, sv, surveys.Submission{Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	sg := safeguarding.NewStore(h.db, messages.NewStore(h.db))
	var texts []safeguarding.Text
	units, err := st.FreeTextSince(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.ResponseID == r.ID {
			texts = append(texts, safeguarding.Text{Kind: safeguarding.SurveyAnswer, Ref: fmt.Sprint("answer:", u.AnswerID), SurveyID: u.SurveyID,
				ResponseID: u.ResponseID, AnswerID: u.AnswerID, QuestionKey: u.QuestionKey, Text: u.Text})
		}
	}
	from, _ := sg.Cursor(ctx, "test")
	if n, err := sg.Screen(ctx, testCoder(t), safeguarding.Notice{BaseURL: "http://example.test"}, safeguarding.Batch{Cursor: "test", From: from, To: from + 1, Texts: texts}); err != nil || n != 1 {
		t.Fatalf("screening queued %d (%v)", n, err)
	}
	items, err := sg.Waiting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if *it.ResponseID == r.ID {
			return it.ID
		}
	}
	t.Fatal("the flagged answer is not in the queue")
	return 0
}

// grant gives a member of staff the permission through the admin page.
func grant(t *testing.T, h *harness, u *accounts.User, on bool) {
	t.Helper()
	h.login("admin@example.org")
	v := url.Values{"user": {strconv.Itoa(int(u.ID))}, "grant": {map[bool]string{true: "yes", false: "no"}[on]}}
	if status, body, _ := h.do("POST", "/staff/safeguarding/people", v); status != 303 {
		t.Fatalf("granting: %d\n%.600s", status, body)
	}
}

func auditHas(t *testing.T, h *harness, actor uint, action, target string) bool {
	t.Helper()
	events, err := audit.NewStore(h.db).Recent(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.ActorUserID != nil && *e.ActorUserID == actor && e.Action == action && e.Target == target {
			return true
		}
	}
	return false
}

// Staff without the permission, admins included, get 403 and the attempt
// is audited; only admins manage the permission.
func TestSafeguardingNeedsThePermission(t *testing.T) {
	h := newHarness(t)
	id := flagAnswer(t, h, riskAnswer, "")
	item := "/staff/safeguarding/" + strconv.Itoa(int(id))
	for _, role := range []accounts.Role{accounts.Facilitator, accounts.Officer, accounts.Admin} {
		u := h.user(string(role)+"@example.org", role)
		h.login(u.Email)
		for _, path := range []string{"/staff/safeguarding", item, item + "/contact"} {
			status, body, _ := h.do("GET", path, nil)
			if status != 403 || !strings.Contains(body, "safeguarding permission") || strings.Contains(body, "end my life") {
				t.Errorf("%s GET %s: %d\n%.400s", role, path, status, body)
			}
		}
		if status, _, _ := h.do("POST", item, url.Values{"action": {"reviewed"}, "key": {"k-" + string(role)}}); status != 403 {
			t.Errorf("%s recording an action: %d", role, status)
		}
		if !auditHas(t, h, u.ID, "safeguarding.refused", safeguarding.QueueRef) || !auditHas(t, h, u.ID, "safeguarding.refused", safeguarding.ItemRef(id)) {
			t.Errorf("%s: the refusals were not audited", role)
		}
		status, _, _ := h.do("GET", "/staff/safeguarding/people", nil)
		if want := map[bool]int{true: 200, false: 403}[role == accounts.Admin]; status != want {
			t.Errorf("%s opening the permission page: %d, want %d", role, status, want)
		}
	}
	if history, _ := safeguarding.NewStore(h.db, nil).History(context.Background(), id); len(history) != 0 {
		t.Fatalf("an action was recorded without the permission: %+v", history)
	}
	h.cookies = map[string]string{}
	if status, _, _ := h.do("GET", "/staff/safeguarding", nil); status != 303 {
		t.Errorf("a resident is not sent to sign in: %d", status)
	}
}

func TestSafeguardingQueueAndItem(t *testing.T) {
	h := newHarness(t)
	h.user("admin@example.org", accounts.Admin)
	fac := h.user("fac@example.org", accounts.Facilitator)
	id := flagAnswer(t, h, riskAnswer, "resident@example.org")
	anon := flagAnswer(t, h, "I have thought about killing myself.", "")
	grant(t, h, fac, true)
	h.login("fac@example.org")
	item := "/staff/safeguarding/" + strconv.Itoa(int(id))

	status, body, _ := h.do("GET", "/staff/safeguarding", nil)
	if status != 200 {
		t.Fatalf("queue: %d\n%.600s", status, body)
	}
	for _, w := range []string{"Item " + strconv.Itoa(int(id)), "waiting less than a minute", "Shaping early help", "&lt;/script&gt; Some nights"} {
		if !strings.Contains(body, w) {
			t.Errorf("queue lacks %q", w)
		}
	}
	if strings.Contains(body, `<script>alert`) || strings.Contains(body, "resident@example.org") {
		t.Error("the queue shows unescaped text or contact details")
	}
	// Oldest first.
	if strings.Index(body, item+`"`) > strings.Index(body, "/staff/safeguarding/"+strconv.Itoa(int(anon))+`"`) {
		t.Error("the queue is not oldest first")
	}

	status, body, _ = h.do("GET", item, nil)
	for _, w := range []string{"<mark><span class=\"cs-visually-hidden\">Flagged: </span>", "end my life", "helped. &lt;script&gt;", "alert(&#34;x&#34;)&lt;/script&gt;",
		"What gets in the way of getting support?", "See their contact details", "New"} {
		if !strings.Contains(body, w) {
			t.Errorf("item page lacks %q", w)
		}
	}
	if status != 200 || strings.Contains(body, "<script>alert") || strings.Contains(body, "resident@example.org") {
		t.Fatalf("item page: %d, unescaped text or contact details shown\n%.800s", status, body)
	}
	if !auditHas(t, h, fac.ID, "safeguarding.item_viewed", safeguarding.ItemRef(id)) {
		t.Error("viewing the item was not audited")
	}
	if auditHas(t, h, fac.ID, "safeguarding.contact_viewed", safeguarding.ItemRef(id)) {
		t.Error("contact details audited as viewed before anyone opened them")
	}
	status, body, _ = h.do("GET", item+"/contact", nil)
	if status != 200 || !strings.Contains(body, "resident@example.org") || !strings.Contains(body, "they were told") {
		t.Fatalf("contact page: %d\n%.600s", status, body)
	}
	if !auditHas(t, h, fac.ID, "safeguarding.contact_viewed", safeguarding.ItemRef(id)) {
		t.Error("viewing contact details was not audited")
	}

	_, body, _ = h.do("GET", "/staff/safeguarding/"+strconv.Itoa(int(anon)), nil)
	if !strings.Contains(body, "This response is anonymous: there is no way to contact the person") || strings.Contains(body, "See their contact details") {
		t.Errorf("anonymous item:\n%.800s", body)
	}
	if status, _, _ := h.do("GET", "/staff/safeguarding/999999", nil); status != 404 {
		t.Errorf("unknown item: %d", status)
	}
	if status, _, _ := h.do("GET", "/staff/safeguarding/999999/contact", nil); status != 404 {
		t.Errorf("unknown item's contact details: %d", status)
	}
}

func TestSafeguardingActions(t *testing.T) {
	h := newHarness(t)
	h.user("admin@example.org", accounts.Admin)
	off := h.user("officer@example.org", accounts.Officer)
	id := flagAnswer(t, h, riskAnswer, "")
	grant(t, h, off, true)
	h.login("officer@example.org")
	item := "/staff/safeguarding/" + strconv.Itoa(int(id))
	h.do("GET", item, nil)
	sg := safeguarding.NewStore(h.db, nil)

	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"no action chosen", url.Values{"notes": {"Typed <b>notes</b> kept"}, "key": {"a1"}},
			[]string{"Select what you did about this item", "Typed &lt;b&gt;notes&lt;/b&gt; kept", `href="#action"`}},
		{"an action that does not exist", url.Values{"action": {"ignored"}, "notes": {"Typed notes kept"}, "key": {"a1"}},
			[]string{"Select what you did about this item", "Typed notes kept"}},
		{"no action without notes", url.Values{"action": {"no_action"}, "notes": {"  "}, "key": {"a1"}},
			[]string{"Explain why no action is needed", `href="#notes"`, `value="no_action" aria-describedby="action-no_action-hint" checked`}},
		{"notes too long", url.Values{"action": {"reviewed"}, "notes": {strings.Repeat("a", safeguarding.MaxNotes+1)}, "key": {"a1"}},
			[]string{"5,000 characters or fewer"}},
	} {
		status, body, _ := h.do("POST", item, tc.form)
		if status != 422 || !strings.Contains(body, "There is a problem") {
			t.Errorf("%s: %d\n%.600s", tc.name, status, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", tc.name, w)
			}
		}
	}
	if status, _, _ := h.do("POST", item, url.Values{"action": {"reviewed"}, "notes": {"bad \xff byte"}, "key": {"a1"}}); status != 400 {
		t.Errorf("invalid UTF-8: %d, want 400", status)
	}
	if history, _ := sg.History(context.Background(), id); len(history) != 0 {
		t.Fatalf("a refused action was recorded: %+v", history)
	}

	// Sent twice with the same key (a double click): one action.
	form := url.Values{"action": {"contacted"}, "notes": {"Phoned the crisis team, who will call back."}, "key": {"a1"}}
	for range 2 {
		status, _, resp := h.do("POST", item, form)
		if status != 303 || resp.Header.Get("Location") != item {
			t.Fatalf("recording: %d %s", status, resp.Header.Get("Location"))
		}
	}
	history, _ := sg.History(context.Background(), id)
	if len(history) != 1 || history[0].Action != safeguarding.Contacted || *history[0].ActorUserID != off.ID {
		t.Fatalf("history after a double submit: %+v", history)
	}
	h.do("POST", item, url.Values{"action": {"no_action"}, "notes": {"Called back; they are safe and supported."}, "key": {"a2"}})
	it, _ := sg.Get(context.Background(), id)
	if it.Status != safeguarding.NoAction || it.FirstActionAt == nil || !it.FirstActionAt.Equal(history[0].CreatedAt) {
		t.Errorf("item after two actions: %s first action %v", it.Status, it.FirstActionAt)
	}
	_, body, _ := h.do("GET", item, nil)
	for _, w := range []string{"Contacted</strong>, recorded by officer", "Phoned the crisis team", "No action needed", "first action after"} {
		if !strings.Contains(body, w) {
			t.Errorf("history lacks %q", w)
		}
	}
	_, body, _ = h.do("GET", "/staff/safeguarding", nil)
	if !strings.Contains(body, "Recently dealt with") || !strings.Contains(body, "Nothing is waiting") {
		t.Errorf("queue after acting:\n%.800s", body)
	}
	if !auditHas(t, h, off.ID, "safeguarding.action", safeguarding.ItemRef(id)) {
		t.Error("the action was not audited")
	}
}

func TestSafeguardingPermissionIsManagedByAdmins(t *testing.T) {
	h := newHarness(t)
	admin := h.user("admin@example.org", accounts.Admin)
	fac := h.user("fac@example.org", accounts.Facilitator)
	grant(t, h, admin, true)
	if status, _, _ := h.do("GET", "/staff/safeguarding", nil); status != 200 {
		t.Fatalf("an admin who gave themselves the permission: %d", status)
	}
	grant(t, h, fac, true)
	_, body, _ := h.do("GET", "/staff/safeguarding/people", nil)
	if !strings.Contains(body, "Remove permission<span class=\"cs-visually-hidden\"> from fac") || !strings.Contains(body, "given by admin") {
		t.Errorf("permission page:\n%.1200s", body)
	}
	if !auditHas(t, h, admin.ID, "safeguarding.grant", fmt.Sprintf("user:%d", fac.ID)) {
		t.Error("the grant was not audited")
	}
	grant(t, h, fac, false)
	if !auditHas(t, h, admin.ID, "safeguarding.revoke", fmt.Sprintf("user:%d", fac.ID)) {
		t.Error("the removal was not audited")
	}
	h.login("fac@example.org")
	if status, _, _ := h.do("GET", "/staff/safeguarding", nil); status != 403 {
		t.Errorf("after removal: %d, want 403", status)
	}
	if status, _, _ := h.do("POST", "/staff/safeguarding/people", url.Values{"user": {strconv.Itoa(int(fac.ID))}, "grant": {"yes"}}); status != 403 {
		t.Errorf("a facilitator granting: %d, want 403", status)
	}
	h.login("admin@example.org")
	for _, tc := range []struct {
		user string
		want int
	}{{"999999", 404}, {"nobody", 422}} {
		if status, _, _ := h.do("POST", "/staff/safeguarding/people", url.Values{"user": {tc.user}, "grant": {"yes"}}); status != tc.want {
			t.Errorf("granting to %q: %d, want %d", tc.user, status, tc.want)
		}
	}
}
