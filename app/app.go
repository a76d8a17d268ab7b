// Package app is codesign's HTTP layer and nothing else: routes, middleware,
// handlers, view models, the embedded templates and the mapping from domain
// errors to responses. Rules and storage live in the domain packages.
package app

import (
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/messages"
	"codesign/panels"
	"codesign/programmes"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

// Options are the settings the HTTP layer needs, taken from the config by
// the composition root.
type Options struct {
	BaseURL        string
	Secure         bool   // served over HTTPS: cookies get the Secure flag
	SessionKey     []byte // signs CSRF tokens; shared by every instance
	BodyLimit      int
	RateLimit      int // public POSTs per minute per client; 0 is off
	TrustedProxies []string
	Signposting    Signposting
	Version        string
}

// Signposting is the crisis support shown to residents.
type Signposting struct {
	Heading string
	Lines   []string
}

// Deps are the stores the handlers call.
type Deps struct {
	DB         *gorm.DB // only for the health check
	Accounts   *accounts.Store
	Audit      *audit.Store
	Programmes *programmes.Store
	Messages   *messages.Store
	Workshops  *workshops.Store
	Surveys    *surveys.Store
	Themes     *themes.Store
	Panels     *panels.Store
	Reports    *reports.Store
	// Safeguarding is the risk queue.
	Safeguarding *safeguarding.Store
	// Coding turns automatic suggestions on. The coder is the current
	// codebook's, from Themes.Coder.
	Coding bool
}

// App holds what every handler needs.
type App struct {
	opts Options
	Deps
	london *time.Location
}

// New builds the Fiber application. main and the tests both call it, so the
// tests exercise exactly what runs in production.
func New(d Deps, opts Options) (*fiber.App, error) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, err
	}
	a := &App{opts: opts, Deps: d, london: london}
	engine, err := a.views()
	if err != nil {
		return nil, err
	}
	f := fiber.New(fiber.Config{
		Views:                   engine,
		ViewsLayout:             "layouts/main",
		ErrorHandler:            a.handleError,
		BodyLimit:               opts.BodyLimit,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            60 * time.Second,
		IdleTimeout:             2 * time.Minute,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: len(opts.TrustedProxies) > 0,
		TrustedProxies:          opts.TrustedProxies,
		ProxyHeader:             proxyHeader(opts.TrustedProxies),
	})
	a.routes(f)
	return f, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}
