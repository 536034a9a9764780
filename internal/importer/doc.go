// Package importer turns what a company already has into depgraph model
// nodes: a Backstage software catalog (catalog-info.yaml entities), a
// CycloneDX SaaSBOM (services, nested services and the dependency graph)
// and a vendor's published sub-processor list.
// The result is written as a model YAML file (WriteYAML) that ingest.Load
// reads as it is, with a comment header naming where it came from.
//
// # Backstage
//
// Every YAML document of the input files is an entity
// (https://backstage.io/docs/features/software-catalog/descriptor-format).
// The mapping:
//
//   - Component of spec.type service or website → kind service (one of
//     your services); any other Component type (library, …) → component.
//   - API → component. The API depends on each Component that lists it in
//     spec.providesApis, so a consumer reaches the implementation through
//     the API.
//   - Resource → cloud-service; a Resource whose spec.type is vendor, saas,
//     third-party, external or external-service → vendor, never a node of
//     your organisation: the catalog node its title or name matches
//     (Options.Known; the catalog is included), else a top-level node of
//     its own name.
//   - System → no node: systems group entities without being a runtime
//     dependency. Their members carry meta.system and the system's domain
//     as meta.domain.
//   - Location, Group, User, Domain and Template are skipped (a warning
//     says that a Location's targets were not followed). A document that
//     is no backstage.io entity (a scaffolder.backstage.io Template, an
//     OpenAPI file kept beside the entities) is skipped with a warning.
//
// Edges (all hard dependencies; refine impacts and failover by hand):
// spec.dependsOn, spec.consumesApis (default kind api), spec.providesApis
// (reversed, as above), spec.dependencyOf (reversed) and
// spec.subcomponentOf (reversed: a component depends on its parts, whose
// failure impairs it; the part carries meta.subcomponent_of). Refs are
// "[kind:][namespace/]name", case-insensitive, namespace "default" when
// left out. Owners lose their "group:" kind and default namespace.
//
// Ids: ORG/NAME, where ORG is Options.Org (the entity's namespace when
// empty); an entity outside the default namespace under Options.Org is
// ORG/NAMESPACE/NAME. When two kinds share a name, the Component keeps
// the plain id and the others get a "-api" or "-resource" suffix. The
// original entity ref is kept in meta.backstage.
//
// # CycloneDX
//
// Reads a CycloneDX JSON BOM (spec 1.2 to 1.7; services exist since 1.2):
//
//   - every service, nested or not → component, in the organisation of
//     its provider (the provider's name as an id segment: "Acme Inc" →
//     acme-inc), else of its enclosing service, else your own (below); a
//     nested service without a provider that lies across a trust boundary
//     (x-trust-boundary, or a trustZone none of the enclosing
//     organisation's own services is in, such as S3 in "Public Internet")
//     is a third party: a vendor node of its own name;
//   - metadata.component (the application the BOM describes) → service;
//   - a component linked with a service in "dependencies" → service when
//     of type application, component otherwise; other components (the
//     software BOM part) are left out;
//   - "dependencies": each dependsOn → a hard dependency.
//
// Your own organisation is Options.Org, else the BOM's manufacturer or
// supplier, else the one provider all top-level services share, else
// "bom". Ids are ORG/slug(name), falling back to ORG/slug(bom-ref) when
// names clash. A BOM written by depgraph's own exporter (services carrying
// depgraph:kind properties) is read back with its ids, kinds, owners,
// unavailabilities, impacts and failover groups. CycloneDX XML is refused
// with a message to convert it to JSON.
//
// # Sub-processor lists
//
// Subprocessors reads one vendor's published list (CSV, TSV, a Markdown
// table or HTML <table>s), finds the entity, purpose and location columns
// by their headers, and maps each entity onto a known node by normalised
// name, id or alias (legal forms such as "Inc." and "GmbH" and
// parenthesised abbreviations aside; a name matching two nodes is left
// unmapped with a warning). The model it writes makes the vendor depend
// on every sub-processor with an unknown share.
//
// # DORA Register of Information
//
// ReadDORA finds a register's template CSVs (an xBRL-CSV report package
// or a folder of them) and DORA reads them: functions (B_06.01) become
// services, providers (B_05.01) vendors mapped onto known nodes by name
// like sub-processors, contractual arrangements (B_02.02) the functions'
// dependencies on direct providers, and supply chains (B_05.02, rank ≥ 2)
// recipient → subcontractor edges, all of unknown share. Register codes
// and contracts are kept in meta.dora for export. CSV problems are
// positioned as file:line(:col).
//
// # Errors
//
// Problems are collected into an ingest.ErrorList: positioned as
// file:line:col for YAML, as file plus a JSON path for CycloneDX. A ref
// to an entity that no input defines is an error, all of them listed at
// once with a "did you mean"; Options.Placeholders turns them into nodes
// of kind unknown instead.
package importer
