package openpsa

import (
	"math"
	"strconv"
)

// eval computes the point value of a MEF expression: constants,
// parameters, <system-mission-time/>, arithmetic, the exponential, GLM,
// Weibull and periodic-test failure models, and the mean of the
// uncertainty deviates (as SCRAM does for a point estimate).
func (r *reader) eval(e *elem) (float64, bool) {
	args := func(lo, hi int) ([]float64, bool) {
		if len(e.kids) < lo || (hi > 0 && len(e.kids) > hi) {
			r.errorf(e.pos, "<%s> takes %d to %d arguments, got %d", e.name, lo, hi, len(e.kids))
			return nil, false
		}
		vs := make([]float64, len(e.kids))
		for i, k := range e.kids {
			v, ok := r.eval(k)
			if !ok {
				return nil, false
			}
			vs[i] = v
		}
		return vs, true
	}
	switch e.name {
	case "float", "int":
		s, _ := e.attr("value")
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			r.errorf(e.pos, "<%s value=%q> is not a number", e.name, s)
			return 0, false
		}
		return v, true
	case "bool":
		s, _ := e.attr("value")
		switch s {
		case "true":
			return 1, true
		case "false":
			return 0, true
		}
		r.errorf(e.pos, "<bool value=%q> is not true or false", s)
		return 0, false
	case "system-mission-time":
		return DefaultMissionTime, true
	case "parameter":
		name, _ := e.attr("name")
		d, ok := r.params[name]
		if !ok {
			r.errorf(e.pos, "undefined parameter %q", name)
			return 0, false
		}
		switch r.pstate[name] {
		case 1:
			r.errorf(e.pos, "parameter %q is defined in terms of itself", name)
			return 0, false
		case 2:
			return r.pval[name], true
		}
		if d.body == nil {
			r.errorf(d.pos, "parameter %q has no value", name)
			return 0, false
		}
		r.pstate[name] = 1
		v, ok := r.eval(d.body)
		r.pstate[name] = 2
		r.pval[name] = v
		return v, ok
	case "neg":
		vs, ok := args(1, 1)
		if !ok {
			return 0, false
		}
		return -vs[0], true
	case "add", "sub", "mul", "div":
		vs, ok := args(1, 0)
		if !ok {
			return 0, false
		}
		v := vs[0]
		for _, x := range vs[1:] {
			switch e.name {
			case "add":
				v += x
			case "sub":
				v -= x
			case "mul":
				v *= x
			case "div":
				v /= x
			}
		}
		return v, true
	case "exponential":
		vs, ok := args(2, 2)
		if !ok {
			return 0, false
		}
		return 1 - math.Exp(-vs[0]*vs[1]), true
	case "GLM":
		vs, ok := args(4, 4)
		if !ok {
			return 0, false
		}
		g, l, mu, t := vs[0], vs[1], vs[2], vs[3]
		s := l + mu
		return (l - (l-g*s)*math.Exp(-s*t)) / s, true
	case "Weibull":
		vs, ok := args(4, 4)
		if !ok {
			return 0, false
		}
		a, b, t0, t := vs[0], vs[1], vs[2], vs[3]
		return 1 - math.Exp(-math.Pow((t-t0)/a, b)), true
	case "periodic-test":
		vs, ok := args(4, 4)
		if !ok {
			return 0, false
		}
		l, tau, theta, t := vs[0], vs[1], vs[2], vs[3]
		if t <= theta {
			return 1 - math.Exp(-l*t), true
		}
		d := t - theta
		since := d - math.Floor(d/tau)*tau
		return 1 - math.Exp(-l*since), true
	case "uniform-deviate":
		vs, ok := args(2, 2)
		if !ok {
			return 0, false
		}
		return (vs[0] + vs[1]) / 2, true
	case "normal-deviate", "lognormal-deviate":
		vs, ok := args(2, 3)
		if !ok {
			return 0, false
		}
		return vs[0], true
	case "beta-deviate":
		vs, ok := args(2, 2)
		if !ok {
			return 0, false
		}
		return vs[0] / (vs[0] + vs[1]), true
	case "gamma-deviate":
		vs, ok := args(2, 2)
		if !ok {
			return 0, false
		}
		return vs[0] * vs[1], true
	}
	r.errorf(e.pos, "unsupported expression <%s>", e.name)
	return 0, false
}
