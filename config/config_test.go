package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codesign/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsWithoutAFile(t *testing.T) {
	cfg, err := config.Load(filepath.Join(t.TempDir(), "missing.yaml"), false, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != "127.0.0.1:3000" || cfg.Database.Driver != "sqlite" || cfg.Database.DSN != "data/codesign.db" || !cfg.Demo {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestEnvironmentWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("server:\n  listen: 127.0.0.1:4000\ndemo: true\nrate_limit: 10\n"), 0o600)
	cfg, err := config.Load(path, true, env(map[string]string{
		"CODESIGN_LISTEN": "127.0.0.1:5000", "CODESIGN_DEMO": "false", "CODESIGN_RATE_LIMIT": "0",
		"CODESIGN_DB_DRIVER": "postgres", "CODESIGN_DB_DSN": "postgres://x@127.0.0.1/db",
		"CODESIGN_ADMIN_EMAIL": "a@example.org", "CODESIGN_ADMIN_PASSWORD": "twelve chars ok",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != "127.0.0.1:5000" || cfg.Demo || cfg.RateLimit != 0 || cfg.Database.Driver != "postgres" || cfg.Admin.Password != "twelve chars ok" {
		t.Fatalf("env not applied: %+v", cfg)
	}
	if cfg.Server.BaseURL != "http://127.0.0.1:5000" {
		t.Errorf("base URL should follow the listen address, got %q", cfg.Server.BaseURL)
	}
}

func TestBadEnvironmentValues(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"CODESIGN_DEMO":           {"CODESIGN_DEMO": "perhaps"},
		"CODESIGN_RATE_LIMIT":     {"CODESIGN_RATE_LIMIT": "many"},
		"CODESIGN_ADMIN_PASSWORD": {"CODESIGN_ADMIN_PASSWORD": "short"},
		"server.base_url":         {"CODESIGN_BASE_URL": "ftp://x"},
		"server.session_key":      {"CODESIGN_SESSION_KEY": "tooshort"},
		"smtp.from":               {"CODESIGN_SMTP_HOST": "mail.example.org"},
	} {
		_, err := config.Load("", false, env(vars))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v, want an error naming it", name, err)
		}
	}
}

func TestHTTPSMeansSecure(t *testing.T) {
	cfg, err := config.Load("", false, env(map[string]string{"CODESIGN_BASE_URL": "https://have-your-say.example.org"}))
	if err != nil || !cfg.Secure() {
		t.Fatalf("https base URL: secure=%v err=%v", cfg.Secure(), err)
	}
}

func TestSMTPFromIsCheckedOnlyWithAHost(t *testing.T) {
	if _, err := config.Load("", false, env(map[string]string{"CODESIGN_SMTP_HOST": "mail.example.org", "CODESIGN_SMTP_FROM": "not an address"})); err == nil || !strings.Contains(err.Error(), "smtp.from") {
		t.Fatalf("bad from: %v", err)
	}
	if _, err := config.Load("", false, env(map[string]string{"CODESIGN_SMTP_HOST": "mail.example.org", "CODESIGN_SMTP_FROM": "Islington Council <engage@example.org>"})); err != nil {
		t.Fatalf("good from refused: %v", err)
	}
	if _, err := config.Load("", false, env(nil)); err != nil {
		t.Fatalf("no SMTP at all: %v", err)
	}
}

func TestSafeguardingDutyEmail(t *testing.T) {
	cfg, err := config.Load("", false, env(map[string]string{"CODESIGN_SAFEGUARDING_EMAIL": "duty@example.org"}))
	if err != nil || cfg.Safeguarding.DutyEmail != "duty@example.org" {
		t.Fatalf("duty email from the environment: %q %v", cfg.Safeguarding.DutyEmail, err)
	}
	if cfg, err = config.Load("", false, env(nil)); err != nil || cfg.Safeguarding.DutyEmail != "" {
		t.Fatalf("no duty email by default: %q %v", cfg.Safeguarding.DutyEmail, err)
	}
	_, err = config.Load("", false, env(map[string]string{"CODESIGN_SAFEGUARDING_EMAIL": "Duty team <duty@example.org>"}))
	if err == nil || !strings.Contains(err.Error(), "safeguarding.duty_email") {
		t.Fatalf("a name with the address: %v, want an error naming safeguarding.duty_email", err)
	}
}

func TestPanelSettingsAreChecked(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ yaml, key string }{
		{"panels:\n  benefits_warning_pounds: -5\n", "panels.benefits_warning_pounds"},
		{"panels:\n  payment_retention_years: 0\n", "panels.payment_retention_years"},
	} {
		p := dir + "/c.yaml"
		if err := os.WriteFile(p, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := config.Load(p, true, env(nil)); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: got %v, want an error naming %s", c.yaml, err, c.key)
		}
	}
	cfg, err := config.Load("", false, env(nil))
	if err != nil || cfg.Panels.PaymentRetentionYears != 7 {
		t.Fatalf("defaults: %+v %v", cfg.Panels, err)
	}
}

func TestRetentionSettingsAreChecked(t *testing.T) {
	cfg, err := config.Load("", false, env(nil))
	if err != nil || cfg.Retention != (config.Retention{SurveyContactDays: 90, ApplicationDays: 90, MemberDays: 90, MessageDays: 30}) {
		t.Fatalf("defaults: %+v %v", cfg.Retention, err)
	}
	dir := t.TempDir()
	for _, c := range []struct{ yaml, key string }{
		{"retention:\n  survey_contact_days: 0\n", "retention.survey_contact_days"},
		{"retention:\n  application_days: -1\n", "retention.application_days"},
		{"retention:\n  member_days: 4000\n", "retention.member_days"},
		{"retention:\n  message_days: 0\n", "retention.message_days"},
		{"retention:\n  message_days: soon\n", "retention.message_days"},
		{"retention:\n  messages_days: 5\n", "messages_days"},
	} {
		p := dir + "/c.yaml"
		if err := os.WriteFile(p, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := config.Load(p, true, env(nil)); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: got %v, want an error naming %s", c.yaml, err, c.key)
		}
	}
	p := dir + "/ok.yaml"
	if err := os.WriteFile(p, []byte("retention:\n  message_days: 7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cfg, err := config.Load(p, true, env(nil)); err != nil || cfg.Retention.MessageDays != 7 || cfg.Retention.MemberDays != 90 {
		t.Errorf("a partial section keeps the other defaults: %+v %v", cfg.Retention, err)
	}
}

// The shipped config.yaml is the defaults, as it says.
func TestShippedConfigIsTheDefaults(t *testing.T) {
	cfg, err := config.Load("../config.yaml", true, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Retention != config.Default().Retention {
		t.Errorf("config.yaml retention %+v, defaults %+v", cfg.Retention, config.Default().Retention)
	}
}
