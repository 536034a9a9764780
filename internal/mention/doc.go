// Package mention finds the model's nodes named in free text: an incident
// title, a status update, a reposted postmortem.
//
// An Index is built once from the nodes (New, or FromGraph); Match returns
// every mention in a text, leftmost first. A node is named by its id, its
// name and its aliases (model.Node.Aliases). Each phrase is matched by one
// of three rules, chosen from its shape:
//
//   - a code, a single token written in upper case ("IAD", "AWS", "AFD",
//     "GCP"), matches only as a whole token in the same case: "iad" or
//     "IADX" never match it;
//   - a code with digits or hyphens ("us-east-1", "eastus2", "iad1")
//     matches case-insensitively, as a whole token: "us-east-1a" and
//     "eu-us-east-1" do not contain "us-east-1";
//   - a name of several words ("Amazon Web Services", "N. Virginia",
//     "Azure Front Door") matches case-insensitively between word
//     boundaries; a name of one word ("Cloudflare", "Storage") matches in
//     the case it is written in, so the common word "storage" in a sentence
//     does not name a node called "Storage".
//
// Tokens are runs of letters and digits joined by "-", "_", "." or "/"
// (so "us-east-1" and "aws/us-east-1" are one token each, and a sentence's
// final period is not part of its last word). Where two phrases overlap,
// the longest wins ("Azure Front Door" over "Azure"); a phrase several
// nodes claim is reported once per node.
//
// Complexity: building is O(P) for P phrases; Match is O(T·c) for T
// tokens of text and c phrases sharing a first word.
package mention
