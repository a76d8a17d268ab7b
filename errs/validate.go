package errs

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

var (
	once     sync.Once
	validate *validator.Validate
)

// Validator is the shared validator/v10 instance. Field names are taken from
// the `form` tag, then `json`, so messages are keyed as the form knows them.
func Validator() *validator.Validate {
	once.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			for _, tag := range []string{"form", "json"} {
				if name := strings.Split(f.Tag.Get(tag), ",")[0]; name != "" && name != "-" {
					return name
				}
			}
			return strings.ToLower(f.Name)
		})
	})
	return validate
}

// Struct validates v and translates every failure into plain English using
// each field's `label` tag ("email address"), never a Go field name.
func Struct(v any) error {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	labels := labelsOf(v)
	f := &Fields{}
	for _, fe := range ves {
		label := labels[fe.StructField()]
		if label == "" {
			label = strings.ReplaceAll(fe.Field(), "_", " ")
		}
		f.Add(fe.Field(), Message(fe.Tag(), fe.Param(), label, fe.Kind()))
	}
	return f
}

// Message writes the GOV.UK-style sentence for one failed rule.
func Message(tag, param, label string, kind reflect.Kind) string {
	isNumber := kind >= reflect.Int && kind <= reflect.Float64
	switch tag {
	case "required", "required_without", "required_if":
		if kind == reflect.Bool {
			return "Select " + label
		}
		return "Enter " + label
	case "email":
		return "Enter " + label + " in the correct format, like name@example.com"
	case "max", "lte":
		if isNumber {
			return fmt.Sprintf("%s must be %s or less", upper(label), param)
		}
		return fmt.Sprintf("%s must be %s characters or fewer", upper(label), param)
	case "min", "gte":
		if isNumber {
			return fmt.Sprintf("%s must be %s or more", upper(label), param)
		}
		return fmt.Sprintf("%s must be %s characters or more", upper(label), param)
	case "oneof":
		return "Select " + label + " from the list"
	case "url", "http_url":
		return "Enter " + label + " as a web address starting with https://"
	case "alphanum", "slug":
		return upper(label) + " must only include letters a to z, numbers and hyphens"
	}
	return upper(label) + " is not valid"
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func labelsOf(v any) map[string]string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]string{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := 0; i < t.NumField(); i++ {
		if l := t.Field(i).Tag.Get("label"); l != "" {
			out[t.Field(i).Name] = l
		}
	}
	return out
}
