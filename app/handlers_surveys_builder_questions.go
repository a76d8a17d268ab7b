package app

import (
	"fmt"
	"strconv"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// Questions: add to a page, change, move (across pages at either end of
// one), remove. A question is named in the URL by its key, which is
// stable once people have answered.

// builderQuestionAt returns the survey and the position of the question
// named in the URL.
func (a *App) builderQuestionAt(c *fiber.Ctx) (*surveys.Survey, int, int, error) {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return nil, 0, 0, err
	}
	key := c.Params("key")
	for i := range sv.Pages {
		for j := range sv.Pages[i].Questions {
			if sv.Pages[i].Questions[j].Key == key {
				return sv, i, j, nil
			}
		}
	}
	return nil, 0, 0, fiber.ErrNotFound
}

// renderQuestionForm shows the question form. j is the question's place
// on page i, or -1 for a new question at the end of the page.
func (a *App) renderQuestionForm(c *fiber.Ctx, status int, sv *surveys.Survey, i, j int, form map[string]string, problems *errs.Fields, elsewhere []builderElsewhere) error {
	n, err := a.Surveys.CountResponses(c.UserContext(), sv.ID)
	if err != nil {
		return err
	}
	page := strconv.Itoa(i + 1)
	data := fiber.Map{"Title": "Add a question to page " + page, "Survey": sv, "Page": sv.Pages[i], "PageNumber": i + 1, "Form": form,
		"Action": builderURL(sv, "/pages/"+page+"/questions"), "Version": builderVersion(sv), "Types": surveys.Types, "Ops": surveys.Ops,
		"Earlier": earlierQuestions(sv, i, j), "Rows": conditionRows(form), "Elsewhere": elsewhere, "What": "question"}
	if j >= 0 {
		q := sv.Pages[i].Questions[j]
		data["Title"], data["Action"], data["Key"], data["Answered"] = "Change a question", builderURL(sv, "/questions/"+q.Key), q.Key, n > 0
	}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_surveys/question_form", data)
}

func (a *App) builderNewQuestion(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	return a.renderQuestionForm(c, fiber.StatusOK, sv, i, -1, map[string]string{"match": "all"}, nil, nil)
}

func (a *App) builderCreateQuestion(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	q, form, rows, local := questionFromForm(c, "")
	j := len(sv.Pages[i].Questions)
	problems, elsewhere, status, err := a.builderApply(c, sv, "question.add", local, func(s *surveys.Survey) error {
		if i >= len(s.Pages) {
			return surveys.ErrNotFound
		}
		s.Pages[i].Questions = append(s.Pages[i].Questions, q)
		return nil
	}, partFields(fmt.Sprintf("pages[%d].questions[%d].", i, j), rows), "key")
	if err != nil {
		return err
	}
	if problems.Has() {
		return a.renderQuestionForm(c, status, sv, i, -1, form, problems, elsewhere)
	}
	return a.redirectWithFlash(c, builderURL(sv, "#question-"+q.Key), "Question added.")
}

func (a *App) builderEditQuestion(c *fiber.Ctx) error {
	sv, i, j, err := a.builderQuestionAt(c)
	if err != nil {
		return err
	}
	return a.renderQuestionForm(c, fiber.StatusOK, sv, i, j, questionForm(&sv.Pages[i].Questions[j]), nil, nil)
}

func (a *App) builderUpdateQuestion(c *fiber.Ctx) error {
	sv, i, j, err := a.builderQuestionAt(c)
	if err != nil {
		return err
	}
	old := sv.Pages[i].Questions[j]
	q, form, rows, local := questionFromForm(c, old.Key)
	n, err := a.Surveys.CountResponses(c.UserContext(), sv.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		// Answers are stored by key, so once there are any it stays.
		q.Key, form["key"] = old.Key, old.Key
	}
	fallback := "options"
	if q.Type != old.Type {
		fallback = "type"
	}
	problems, elsewhere, status, err := a.builderApply(c, sv, "question.edit", local, func(s *surveys.Survey) error {
		cur, _ := s.Question(old.Key)
		if cur == nil {
			return surveys.ErrNotFound
		}
		*cur = q
		return nil
	}, partFields(fmt.Sprintf("pages[%d].questions[%d].", i, j), rows), fallback)
	if err != nil {
		return err
	}
	if problems.Has() {
		return a.renderQuestionForm(c, status, sv, i, j, form, problems, elsewhere)
	}
	return a.redirectWithFlash(c, builderURL(sv, "#question-"+q.Key), "Question saved.")
}

// moveQuestion moves the question with key one place up or down; at
// either end of a page it moves to the end of the page before or the
// start of the page after.
func moveQuestion(s *surveys.Survey, key string, up bool) error {
	q, i := s.Question(key)
	if q == nil {
		return surveys.ErrNotFound
	}
	qs := s.Pages[i].Questions
	j := 0
	for j < len(qs) && qs[j].Key != key {
		j++
	}
	moved := qs[j]
	switch {
	case up && j > 0:
		qs[j-1], qs[j] = qs[j], qs[j-1]
	case !up && j < len(qs)-1:
		qs[j+1], qs[j] = qs[j], qs[j+1]
	case up && i > 0:
		s.Pages[i].Questions = append(qs[:j:j], qs[j+1:]...)
		s.Pages[i-1].Questions = append(s.Pages[i-1].Questions, moved)
	case !up && i < len(s.Pages)-1:
		s.Pages[i].Questions = append(qs[:j:j], qs[j+1:]...)
		s.Pages[i+1].Questions = append([]surveys.Question{moved}, s.Pages[i+1].Questions...)
	default:
		return &errs.Conflict{Message: "That question cannot move further."}
	}
	return nil
}

func (a *App) builderMoveQuestion(c *fiber.Ctx) error {
	sv, i, j, err := a.builderQuestionAt(c)
	if err != nil {
		return err
	}
	key := sv.Pages[i].Questions[j].Key
	_, err = a.builderEdit(c, sv, "question.move", func(s *surveys.Survey) error {
		return moveQuestion(s, key, c.FormValue("direction") != "down")
	})
	if err != nil {
		return a.builderRefused(c, sv, "question-"+key, err)
	}
	return a.redirectWithFlash(c, builderURL(sv, "#question-"+key), "Question moved.")
}

func (a *App) builderConfirmRemoveQuestion(c *fiber.Ctx) error {
	sv, i, j, err := a.builderQuestionAt(c)
	if err != nil {
		return err
	}
	q := sv.Pages[i].Questions[j]
	blocked, err := a.removalBlocks(c, sv, map[string]bool{q.Key: true})
	if err != nil {
		return err
	}
	return a.renderConfirm(c, sv, "Remove this question?", fmt.Sprintf("the question “%s” (%s) from page %d", q.Label, q.Key, i+1),
		builderURL(sv, "/questions/"+q.Key+"/remove"), blocked)
}

func (a *App) builderRemoveQuestion(c *fiber.Ctx) error {
	sv, i, j, err := a.builderQuestionAt(c)
	if err != nil {
		return err
	}
	key := sv.Pages[i].Questions[j].Key
	_, err = a.builderEdit(c, sv, "question.remove", func(s *surveys.Survey) error {
		_, p := s.Question(key)
		if p < 0 {
			return surveys.ErrNotFound
		}
		qs := s.Pages[p].Questions
		for k := range qs {
			if qs[k].Key == key {
				s.Pages[p].Questions = append(qs[:k:k], qs[k+1:]...)
				break
			}
		}
		return nil
	})
	if err != nil {
		return a.builderRefused(c, sv, "question-"+key, err)
	}
	return a.redirectWithFlash(c, builderURL(sv, fmt.Sprintf("#page-%d", i+1)), "Question removed. Its key cannot be used again, so old answers are never mixed up.")
}
