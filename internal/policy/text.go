package policy

import (
	"fmt"
	"io"
)

// WriteText writes a report for people: one violation per line as
// "where: rule: message", followed by the rule's position in the policy,
// and a closing count.
func WriteText(w io.Writer, rep *Report) error {
	for _, v := range rep.Violations {
		if _, err := fmt.Fprintf(w, "%s: %s: %s\n  rule at %s\n", v.Where, v.Rule, v.Message, v.RuleWhere); err != nil {
			return err
		}
	}
	rules := map[string]bool{}
	for _, v := range rep.Violations {
		rules[v.RuleWhere] = true
	}
	var err error
	switch len(rep.Violations) {
	case 0:
		_, err = fmt.Fprintf(w, "%s: %s, no violations\n", rep.Policy, plural(rep.Rules, "rule"))
	default:
		_, err = fmt.Fprintf(w, "%s: %s broken, %s\n", rep.Policy, plural(len(rules), "rule")+" of "+fmt.Sprint(rep.Rules), plural(len(rep.Violations), "violation"))
	}
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
