// Package diagnose ranks the root causes of an observed incident: which
// node, or which two or three nodes failing at once, most likely made
// what you saw, with a posterior probability and the factors that moved
// it. It is the computation behind `depgraph explain`.
//
// # Model
//
// The method follows Sherlock's inference graphs and its Ferret search
// (Bahl, Chandra, Greenberg, Kandula, Maltz and Zhang, "Towards Highly
// Reliable Enterprise Network Services via Inference of Multi-level
// Dependencies", SIGCOMM 2007) and Gestalt (Mysore, Mahajan, Vahdat and
// Varghese, "Gestalt: Fast, Unified Fault Localization for Networked
// Systems", USENIX ATC 2014): a generative model of what each hypothesis
// predicts, scored by Bayes' rule, searched exactly over single causes and
// by a bounded best-first search over pairs and triples.
//
// A hypothesis H is a set of at most k roots (k = Options.MaxRoots, 1 to
// 3) failing by themselves; everything else fails only through them. Its
// forward model is blast.PropagateSeeds: each root at impairment 1, every
// other node's impairment x in [0, 1] following the dependency semantics
// of package blast. A dependency of unknown share (`impact: unknown`)
// passes on UnknownShare (0.5) of its target's impairment: neither 0 (it
// would explain nothing) nor 1 (it would explain everything).
//
// Prior. Each root's probability of failing in the window W is
// 1 − exp(−λ·(W + MTTR)) with MTTR = 2 h (an outage overlaps the window
// when it starts in it or up to one MTTR before), capped at 0.5, where λ
// (incidents a year) comes from the incident store's history of the node's
// feed, else from the model's unavailability u as λ = u·year/MTTR, else
// from DefaultRate by kind. Nodes that are not roots contribute 1 − p,
// a constant dropped from every score. Score(H) = Σ log(p/(1 − p)) over
// the roots, plus the log likelihood ratio of every observation and piece
// of evidence under H against "nothing in the model failed".
//
// Observations. A node reported impacted has likelihood
// α + (1 − α − β)·x, one reported healthy 1 − α − (1 − α − β)·x, with the
// false-positive rate α = 0.002 (a wrong report, or a cause outside the
// model) and false-negative rate β = 0.1; a partial impairment raises the
// chance of being seen impacted in proportion. A node nobody observed costs
// nothing, your own services you did not list included.
//
// Status evidence. A page (a node whose feed was read or carries an
// incident) speaks for its node and the nodes nested in it that have no
// feed of their own; its subject's impairment y is the largest of theirs,
// 1 when a root is among them or the page's node is nested in a root.
// An incident in the window has likelihood y·0.7·s₁ + (1 − y)·0.05·s₀:
// a page posts with probability 0.7 when its subject is down and 0.05 when
// not (an unrelated incident), and the severity s given posting is, for an
// impaired and an unrelated subject, major or critical 0.6 and 0.2, minor
// 0.3 and 0.5, none 0.1 and 0.3, unknown 1 and 1. A watched page that
// stayed silent has likelihood y·0.3 + (1 − y)·0.95: weak evidence against
// its subject, and none at all when the page runs (status.hosted_on) on
// something H impairs by more than half. When an incident is bound to a
// node and to nodes it is nested in, only the most specific binding counts.
//
// Words. A page's incident text falls in one class: it names nodes
// upstream of the speaker outside its own organisation (found by package
// mention in names and aliases), it blames an unnamed provider
// ("third-party", "upstream", "our cloud provider", …), it blames itself
// (a deploy, a configuration change, a bug), or it says nothing of the
// cause (taken as uninformative). Self-blame next to a named upstream node is that node's words (a
// reposted postmortem), not the speaker's. P(class | role) for the roles
// root, victim, unaffected: self 0.35 0.05 0.15;
// upstream 0.03 0.30 0.05; named 0.02 0.25 0.05 (a victim role is mixed
// with unaffected by y). Each named node (at most 4) multiplies the odds
// by 30 when it is a root, 25 when a root is nested in it (vendors name the company more often than the product), 10 when H
// impairs it by more than half, 1 otherwise, so the node named wins a tie
// with its ancestors and descendants.
//
// Timing. When a root's page and a victim's page both reported, the
// root's incident starting no later than 15 minutes after the victims'
// earliest has likelihood 0.65, later 0.35, against 0.5.
//
// Search. Every node upstream of (or equal to) an impacted node is a
// single cause, except the nodes of your own organisation unless nothing
// else is; each is scored exactly. The Pool (25) best singles are paired
// (skipping a pair whose roots lie in each other's blast radius) and each
// pair scored exactly; for k = 3 the ten best pairs are extended by each
// other single of the pool. The posterior probability of each hypothesis
// is its exp(score) normalised over the hypotheses considered (reported as
// Result.Considered), not over every possible cause. Ties (equal scores)
// go to fewer roots, then to the deeper cause, then by id.
//
// Singles are scored in parallel batches (one worker per core); each batch
// is cut by the best score before it, so the result is the same on any
// number of cores.
//
// Scores read only the relevant nodes (observed, paged, named, status
// hosts); the propagation runs on the part of the graph upstream of them,
// which gives them their exact impairments. Complexity: O(C·(V' + E'))
// for C candidates over that part, plus O(P²) pair and O(10·P) triple
// propagations for the pool P.
package diagnose
