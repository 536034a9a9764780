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
		ref, _ := e.attr("name")
		d, ok := lookupIn(r.params, r.ppaths, r.scope, ref)
		if !ok {
			r.errorf(e.pos, "undefined parameter %q", ref)
			return 0, false
		}
		name := d.name
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
		saved := r.scope
		r.scope = d.path
		v, ok := r.eval(d.body)
		r.scope = saved
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
		if n := len(e.kids); n != 4 && n != 5 && n != 11 {
			r.errorf(e.pos, "<periodic-test> takes 4, 5 or 11 arguments, got %d", n)
			return 0, false
		}
		vs, ok := args(4, 11)
		if !ok {
			return 0, false
		}
		switch len(vs) {
		case 4:
			return periodicInstantRepair(vs[0], vs[1], vs[2], vs[3]), true
		case 5:
			return periodicInstantTest(vs[0], vs[1], vs[2], vs[3], vs[4]), true
		}
		if vs[6] > vs[3] {
			r.errorf(e.pos, "<periodic-test>: the test duration %v exceeds the time between tests %v", vs[6], vs[3])
			return 0, false
		}
		return periodicComplete(vs), true
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

// The periodic-test failure models (MEF 5.3.3.6), with SCRAM 0.16.2's
// definitions: the unavailability at time t of a component that fails at
// rate lambda and is tested every tau hours, the first test at theta.

// pexp is the probability that a Poisson process of the given rate has
// fired within t.
func pexp(rate, t float64) float64 { return 1 - math.Exp(-rate*t) }

// pexp2 is the probability that the second of two consecutive Poisson
// processes (rates mu then lambda, probabilities pMu and pLambda within t)
// has fired within t.
func pexp2(pMu, pLambda, mu, lambda, t float64) float64 {
	if lambda == mu {
		return pLambda - (1-pLambda)*lambda*t
	}
	return (lambda*pMu - mu*pLambda) / (lambda - mu)
}

// periodicInstantRepair is the 4-argument form (lambda, tau, theta, t):
// tests and repairs take no time, a failure is found and repaired at the
// next test.
func periodicInstantRepair(lambda, tau, theta, t float64) float64 {
	if t <= theta {
		return pexp(lambda, t)
	}
	d := t - theta
	since := d - math.Trunc(d/tau)*tau
	if since == 0 {
		since = tau
	}
	return pexp(lambda, since)
}

// periodicInstantTest is the 5-argument form (lambda, mu, tau, theta, t):
// tests take no time, a failure found at a test is repaired at rate mu.
func periodicInstantTest(lambda, mu, tau, theta, t float64) float64 {
	if t <= theta {
		return pexp(lambda, t)
	}
	// carry is the share of a period's start probability still failed at
	// its end.
	carry := func(pLambda, pMu, dt float64) float64 {
		return 1 - pMu + pexp2(pLambda, pMu, lambda, mu, dt) - pLambda
	}
	prob := pexp(lambda, theta)
	d := t - theta
	periods := math.Trunc(d / tau)
	frac := carry(pexp(lambda, tau), pexp(mu, tau), tau)
	compound := math.Pow(frac, periods)
	if frac == 1 {
		prob += pexp(lambda, tau) * periods
	} else {
		prob = prob*compound + pexp(lambda, tau)*(compound-1)/(frac-1)
	}
	dt := d - periods*tau
	pl, pm := pexp(lambda, dt), pexp(mu, dt)
	return prob*carry(pl, pm, dt) + pl
}

// periodicComplete is the 11-argument form (lambda, lambda during the test,
// mu, tau, theta, gamma: failure at test start, the test's duration, whether
// the component is available during the test (a Boolean), sigma: the
// test's chance of detecting a failure, omega: failure at restart, t).
func periodicComplete(v []float64) float64 {
	lambda, lambdaTest, mu, tau, theta := v[0], v[1], v[2], v[3], v[4]
	gamma, dur, availAtTest, sigma, omega, t := v[5], v[6], v[7] != 0, v[8], v[9], v[10]
	if t <= theta {
		return pexp(lambda, t)
	}
	fail := pexp(lambda, theta)
	repair := 0.0
	avail := 1 - fail
	afterRepair := func(pMu, pLambda, dt float64) float64 {
		return pMu*omega + (1-omega)*pexp2(pMu, pLambda, mu, lambda, dt)
	}
	test := func(pLambdaTest, pMu, pLambda, dt float64, available bool) {
		transient := fail + avail*(gamma+(1-gamma)*pLambdaTest)
		fail = repair*afterRepair(pMu, pLambda, dt) + (1-sigma)*transient
		repair = (1-pMu)*repair + sigma*transient
		away := 0.0
		if !available {
			away = avail * (1 - gamma) * (1 - pLambdaTest)
		}
		avail = 1 - fail - repair - away
	}
	period := func(pLambda, pMu, dt float64) {
		fail = avail*pLambda + fail + repair*afterRepair(pMu, pLambda, dt)
		repair *= 1 - pMu
		avail = 1 - fail - repair
	}
	d := t - theta
	periods := int(d / tau)
	between := tau - dur
	for range periods {
		test(pexp(lambdaTest, dur), pexp(mu, dur), pexp(lambda, dur), dur, true)
		period(pexp(lambda, between), pexp(mu, between), between)
	}
	after := d - float64(periods)*tau
	if after <= dur {
		test(pexp(lambdaTest, after), pexp(mu, after), pexp(lambda, after), after, availAtTest)
	} else {
		test(pexp(lambdaTest, dur), pexp(mu, dur), pexp(lambda, dur), dur, true)
		rest := after - dur
		period(pexp(lambda, rest), pexp(mu, rest), rest)
	}
	return 1 - avail
}
