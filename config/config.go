// Package config reads codesign's settings from config.yaml and the
// environment. It owns the defaults and says which key is wrong when a
// value cannot be used; nothing else in codesign reads the environment.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the whole of codesign's configuration.
type Config struct {
	Server      Server      `yaml:"server"`
	Database    Database    `yaml:"database"`
	Demo        bool        `yaml:"demo"`
	Admin       Admin       `yaml:"admin"`
	RateLimit   int         `yaml:"rate_limit"`
	Signposting Signposting `yaml:"signposting"`
	SMTP        SMTP        `yaml:"smtp"`
	Workshops   Workshops   `yaml:"workshops"`
	Panels      Panels      `yaml:"panels"`
	// Safeguarding says who hears of new risk disclosures.
	Safeguarding Safeguarding `yaml:"safeguarding"`
	// Retention says how long personal data is kept.
	Retention Retention `yaml:"retention"`
	Log       Log       `yaml:"log"`
}

// Server holds the HTTP settings.
type Server struct {
	Listen     string `yaml:"listen"`
	BaseURL    string `yaml:"base_url"`
	SessionKey string `yaml:"session_key"`
	// BodyLimit is the largest request body accepted, in bytes.
	BodyLimit int `yaml:"body_limit"`
	// TrustedProxies lists reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Database names the engine and where it lives.
type Database struct {
	Driver string `yaml:"driver"`
	DSN    string `yaml:"dsn"`
}

// Admin bootstraps the first account. The password only ever comes from the
// environment, never from a committed file.
type Admin struct {
	Email    string `yaml:"email"`
	Password string `yaml:"-"`
}

// Signposting is the crisis support text shown to residents.
type Signposting struct {
	Heading string   `yaml:"heading"`
	Lines   []string `yaml:"lines"`
}

// SMTP is optional: with no host, messages wait in the outbox for staff.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Username string `yaml:"username"`
	Password string `yaml:"-"`
	From     string `yaml:"from"`
}

// Workshops sets when reminders go out and how long attendees' details
// are kept after an event.
type Workshops struct {
	Reminders     []time.Duration `yaml:"reminders"`
	RetentionDays int             `yaml:"retention_days"`
}

// Panels sets the payment rules for experts-by-experience panels.
type Panels struct {
	// BenefitsWarningPounds is the yearly total above which staff are
	// warned that payments may affect a member's benefits; 0 turns it off.
	BenefitsWarningPounds int `yaml:"benefits_warning_pounds"`
	// PaymentRetentionYears is how long finance rules keep payment records
	// linked to a member; after that they are anonymised.
	PaymentRetentionYears int `yaml:"payment_retention_years"`
}

// Safeguarding names the duty contact told (through the outbox, without
// the text) when free text is flagged for risk. With none, the message is
// held in the outbox for staff.
type Safeguarding struct {
	DutyEmail string `yaml:"duty_email"`
}

// Retention says how many days each kind of personal data is kept before
// the daily retention job removes it. Workshop attendees' details follow
// workshops.retention_days.
type Retention struct {
	// SurveyContactDays: contact details in survey answers, after the
	// survey closes.
	SurveyContactDays int `yaml:"survey_contact_days"`
	// ApplicationDays: panel applications not taken forward, after the
	// panel's recruitment closes.
	ApplicationDays int `yaml:"application_days"`
	// MemberDays: panel members who left, once every payment is made.
	MemberDays int `yaml:"member_days"`
	// MessageDays: outbox messages, after they are sent or passed on.
	MessageDays int `yaml:"message_days"`
}

// Log sets the log level: debug, info, warn or error.
type Log struct {
	Level string `yaml:"level"`
}

// Default returns the settings used when config.yaml says nothing.
func Default() Config {
	return Config{
		Server:    Server{Listen: "127.0.0.1:3000", BaseURL: "http://127.0.0.1:3000", BodyLimit: 1 << 20},
		Database:  Database{Driver: "sqlite", DSN: "data/codesign.db"},
		Demo:      true,
		RateLimit: 60,
		Signposting: Signposting{
			Heading: "If you need help now",
			Lines: []string{
				"Call Samaritans free on 116 123, any time, day or night.",
				"Call NHS 111 and choose option 2 for the mental health crisis line.",
				"If you are in immediate danger, call 999.",
			},
		},
		SMTP:      SMTP{Port: 587},
		Workshops: Workshops{Reminders: []time.Duration{48 * time.Hour, 2 * time.Hour}, RetentionDays: 90},
		Panels:    Panels{BenefitsWarningPounds: 0, PaymentRetentionYears: 7},
		Retention: Retention{SurveyContactDays: 90, ApplicationDays: 90, MemberDays: 90, MessageDays: 30},
		Log:       Log{Level: "info"},
	}
}

// Load reads path (if it is not empty) over the defaults, then applies the
// environment. A missing file at the default path is not an error.
func Load(path string, mustExist bool, getenv func(string) string) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path) // #nosec G304 -- the operator chooses the config file
	switch {
	case err == nil:
		if err := decode(data, &cfg); err != nil {
			return cfg, fmt.Errorf("%s: %w", path, err)
		}
	case errors.Is(err, os.ErrNotExist) && !mustExist:
	default:
		return cfg, fmt.Errorf("reading config: %w", err)
	}
	if err := applyEnv(&cfg, getenv); err != nil {
		return cfg, err
	}
	// With no base URL of its own, the service is reached where it listens.
	if def := Default(); cfg.Server.BaseURL == def.Server.BaseURL && cfg.Server.Listen != def.Server.Listen {
		cfg.Server.BaseURL = "http://" + cfg.Server.Listen
	}
	return cfg, cfg.Validate()
}

func decode(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return fmt.Errorf("invalid config: %s", strings.Join(nameKeys(data, te.Errors), "; "))
		}
		if err.Error() == "EOF" {
			return nil // an empty file keeps the defaults
		}
		return fmt.Errorf("invalid config: %w", err)
	}
	return nil
}

func applyEnv(cfg *Config, getenv func(string) string) error {
	set := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	set("CODESIGN_LISTEN", &cfg.Server.Listen)
	set("CODESIGN_BASE_URL", &cfg.Server.BaseURL)
	set("CODESIGN_SESSION_KEY", &cfg.Server.SessionKey)
	set("CODESIGN_DB_DRIVER", &cfg.Database.Driver)
	set("CODESIGN_DB_DSN", &cfg.Database.DSN)
	set("CODESIGN_ADMIN_EMAIL", &cfg.Admin.Email)
	set("CODESIGN_ADMIN_PASSWORD", &cfg.Admin.Password)
	set("CODESIGN_SMTP_HOST", &cfg.SMTP.Host)
	set("CODESIGN_SMTP_PASSWORD", &cfg.SMTP.Password)
	set("CODESIGN_SMTP_FROM", &cfg.SMTP.From)
	set("CODESIGN_SMTP_USERNAME", &cfg.SMTP.Username)
	set("CODESIGN_LOG_LEVEL", &cfg.Log.Level)
	set("CODESIGN_SAFEGUARDING_EMAIL", &cfg.Safeguarding.DutyEmail)
	if v := getenv("CODESIGN_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("CODESIGN_DEMO: %q is not true or false", v)
		}
		cfg.Demo = b
	}
	if v := getenv("CODESIGN_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("CODESIGN_RATE_LIMIT: %q is not a whole number", v)
		}
		cfg.RateLimit = n
	}
	return nil
}

// Validate names the first key whose value cannot be used.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Server.Listen); err != nil {
		return fmt.Errorf("server.listen: %q is not host:port", c.Server.Listen)
	}
	if u, err := url.Parse(c.Server.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("server.base_url: %q is not an http(s) URL", c.Server.BaseURL)
	}
	if c.Server.BodyLimit < 1024 {
		return fmt.Errorf("server.body_limit: %d is too small (at least 1024 bytes)", c.Server.BodyLimit)
	}
	if c.Server.SessionKey != "" && len(c.Server.SessionKey) < 32 {
		return errors.New("server.session_key: must be at least 32 characters")
	}
	switch c.Database.Driver {
	case "sqlite", "postgres":
	default:
		return fmt.Errorf("database.driver: %q is not sqlite or postgres", c.Database.Driver)
	}
	if c.Database.DSN == "" {
		return errors.New("database.dsn: must not be empty")
	}
	if c.RateLimit < 0 {
		return fmt.Errorf("rate_limit: %d must be 0 (off) or more", c.RateLimit)
	}
	if err := c.Workshops.validate(); err != nil {
		return err
	}
	if c.Panels.BenefitsWarningPounds < 0 || c.Panels.BenefitsWarningPounds > 1_000_000 {
		return fmt.Errorf("panels.benefits_warning_pounds: %d must be between 0 (off) and 1000000", c.Panels.BenefitsWarningPounds)
	}
	if c.Panels.PaymentRetentionYears < 1 || c.Panels.PaymentRetentionYears > 50 {
		return fmt.Errorf("panels.payment_retention_years: %d must be between 1 and 50", c.Panels.PaymentRetentionYears)
	}
	if err := c.Retention.validate(); err != nil {
		return err
	}
	if c.SMTP.Host != "" {
		if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
			return fmt.Errorf("smtp.port: %d is not a port number", c.SMTP.Port)
		}
		if _, err := mail.ParseAddress(c.SMTP.From); err != nil {
			return fmt.Errorf("smtp.from: %q is not an email address (it is needed when smtp.host is set)", c.SMTP.From)
		}
	}
	if e := c.Safeguarding.DutyEmail; e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return fmt.Errorf("safeguarding.duty_email: %q is not an email address", e)
		}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: %q is not debug, info, warn or error", c.Log.Level)
	}
	if c.Admin.Password != "" && len(c.Admin.Password) < 12 {
		return errors.New("CODESIGN_ADMIN_PASSWORD: must be at least 12 characters")
	}
	return nil
}

// Secure reports whether the service is reached over HTTPS, which decides
// the Secure flag on cookies.
func (c Config) Secure() bool { return strings.HasPrefix(c.Server.BaseURL, "https://") }

var lineRe = regexp.MustCompile(`^line (\d+): `)

// nameKeys puts the dotted key in front of each of yaml's "line N: ..."
// messages, so the person fixing the file knows which setting is wrong.
func nameKeys(data []byte, msgs []string) []string {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return msgs
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m
		if sub := lineRe.FindStringSubmatch(m); sub != nil {
			line, _ := strconv.Atoi(sub[1])
			if key := keyAt(&root, line, ""); key != "" {
				out[i] = key + " (" + m + ")"
			}
		}
	}
	return out
}

func keyAt(n *yaml.Node, line int, prefix string) string {
	if n.Kind == yaml.DocumentNode || n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if k := keyAt(c, line, prefix); k != "" {
				return k
			}
		}
		return ""
	}
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		path := strings.TrimPrefix(prefix+"."+key.Value, ".")
		if val.Line == line && val.Kind == yaml.ScalarNode {
			return path
		}
		if k := keyAt(val, line, path); k != "" {
			return k
		}
	}
	return ""
}

func (w Workshops) validate() error {
	for _, d := range w.Reminders {
		if d < time.Minute || d > 30*24*time.Hour {
			return fmt.Errorf("workshops.reminders: %s must be between 1m and 720h before the event", d)
		}
	}
	if w.RetentionDays < 1 {
		return fmt.Errorf("workshops.retention_days: %d must be 1 or more", w.RetentionDays)
	}
	return nil
}

func (r Retention) validate() error {
	for _, k := range []struct {
		key  string
		days int
	}{{"survey_contact_days", r.SurveyContactDays}, {"application_days", r.ApplicationDays},
		{"member_days", r.MemberDays}, {"message_days", r.MessageDays}} {
		if k.days < 1 || k.days > 3650 {
			return fmt.Errorf("retention.%s: %d must be between 1 and 3650 days", k.key, k.days)
		}
	}
	return nil
}
