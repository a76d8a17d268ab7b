package messages

import (
	"context"
	"fmt"
	"time"

	mail "github.com/wneessen/go-mail"
)

// SMTPConfig is how to reach the mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
}

// SMTPSender sends messages through an SMTP server with go-mail.
type SMTPSender struct {
	cfg SMTPConfig
}

// NewSMTPSender returns a sender for cfg, or nil when no host is set: the
// outbox then holds messages for staff.
func NewSMTPSender(cfg SMTPConfig) Sender {
	if cfg.Host == "" {
		return nil
	}
	return &SMTPSender{cfg: cfg}
}

// Send sends one plain-text message.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("the sender address in smtp.from is not valid: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("the recipient address is not valid: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(30 * time.Second), mail.WithTLSPolicy(mail.TLSOpportunistic)}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	client, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}
