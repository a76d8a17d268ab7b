// Command codesign is the one binary: the web server and the command-line
// tools. It is the composition root: config -> database -> migrations ->
// stores -> app -> listen.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `codesign - co-design engagement and survey platform

Usage:
  codesign [--config PATH] [serve]          start the web server (the default)
  codesign [--config PATH] migrate           apply database migrations and stop
  codesign [--config PATH] user add --email E --role R [--name N] [--password-stdin]
  codesign [--config PATH] token create --email E [--name N]
  codesign [--config PATH] backup PATH      consistent copy of the live SQLite database
  codesign [--config PATH] restore PATH     replace the SQLite database with a backup (server stopped)
  codesign [--config PATH] migrate-data --from PATH
                                            copy a SQLite deployment into the configured, empty PostgreSQL database
  codesign code [--codebook FILE]            code JSON lines from stdin (no server, no database)
  codesign loadtest [--duration D] [--clients N] [--url URL] [--database DSN] [--report FILE]
                                            mixed resident and staff load, then a check of the database
  codesign version

Roles: admin, officer, facilitator. Settings come from config.yaml and
CODESIGN_* environment variables (see README.md).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run dispatches a subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	configPath, explicit, args, err := configFlag(args)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	env := cliEnv{configPath: configPath, explicit: explicit, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	switch cmd {
	case "serve":
		return env.serve(ctx)
	case "migrate":
		return env.migrate(ctx)
	case "user":
		return env.user(ctx, args)
	case "token":
		return env.token(ctx, args)
	case "backup":
		return env.backup(ctx, args)
	case "restore":
		return env.restore(args)
	case "migrate-data":
		return env.migrateData(ctx, args)
	case "code":
		return runCode(args, stdin, stdout, stderr)
	case "loadtest":
		return env.loadtest(ctx, args)
	case "version", "--version":
		fmt.Fprintln(stdout, "codesign", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "codesign: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// configFlag takes a leading --config PATH (or --config=PATH) off args.
func configFlag(args []string) (path string, explicit bool, rest []string, err error) {
	path = "config.yaml"
	for len(args) > 0 {
		switch a := args[0]; {
		case a == "--config" || a == "-config":
			if len(args) < 2 {
				return "", false, nil, fmt.Errorf("--config needs a file path")
			}
			path, explicit, args = args[1], true, args[2:]
		case len(a) > 9 && a[:9] == "--config=":
			path, explicit, args = a[9:], true, args[1:]
		default:
			return path, explicit, args, nil
		}
	}
	return path, explicit, args, nil
}

// cliEnv is what every subcommand reads and writes.
type cliEnv struct {
	configPath string
	explicit   bool
	stdin      io.Reader
	stdout     io.Writer
	stderr     io.Writer
	getenv     func(string) string
}
