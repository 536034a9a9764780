// Package importer turns other catalogs of services into depgraph model
// nodes: a Backstage software catalog (catalog-info.yaml entities) and a
// CycloneDX SaaSBOM (services, nested services and the dependency graph).
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
//     third-party, external or external-service → vendor.
//   - System → no node: systems group entities without being a runtime
//     dependency. Their members carry meta.system.
//   - Location, Group, User, Domain and Template are skipped (a warning
//     says that a Location's targets were not followed).
//
// Edges (all hard dependencies; refine impacts and failover by hand):
// spec.dependsOn, spec.consumesApis (default kind api), spec.providesApis
// (reversed, as above) and spec.dependencyOf (reversed). Refs are
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
//     acme-inc), else of its enclosing service, else your own (below);
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
// unavailabilities, impacts and failover groups.
//
// # Errors
//
// Problems are collected into an ingest.ErrorList: positioned as
// file:line:col for YAML, as file plus a JSON path for CycloneDX. A ref
// to an entity that no input defines is an error, all of them listed at
// once with a "did you mean"; Options.Placeholders turns them into nodes
// of kind unknown instead.
package importer
