//! Workloads: the cargo features of the generated crate, named after what users do (read mail,
//! manage groups, work with files) rather than after the pages' `ms.prod`.
//!
//! An endpoint's workload comes from its path alone: the first segment decides
//! (`/groups/…` is `groups`), and some navigations into another workload's data switch it
//! (`/me/messages` is `mail`, `/groups/{id}/drive` is `files`,
//! `/me/drive/items/{id}/workbook` is `workbooks`). A type is compiled with every workload
//! whose endpoints reach it — through bodies, responses, query options, every property
//! (navigation properties too), base types and the types derived from a polymorphic base —
//! so a property's type is there whenever the property is: no feature choice turns a typed
//! property into JSON.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Serialize, Serializer};

use super::*;

/// A group of endpoints named after what users do with them, following the top-level groups
/// of the Graph reference's own table of contents. Each is a cargo feature of the generated
/// crate. The order is the documented order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Workload {
    Users,
    Groups,
    Applications,
    Identity,
    Mail,
    Calendar,
    Contacts,
    Files,
    Workbooks,
    Sites,
    Notes,
    Planner,
    Tasks,
    Teams,
    People,
    Devices,
    Education,
    Print,
    Reports,
    Security,
    Compliance,
    Search,
    Subscriptions,
    Bookings,
    Financials,
    /// Endpoints whose path the table does not place (docs typos such as `/~/…`).
    Other,
}

impl Workload {
    /// Every workload, in the documented order.
    pub const ALL: [Workload; 26] = [
        Workload::Users,
        Workload::Groups,
        Workload::Applications,
        Workload::Identity,
        Workload::Mail,
        Workload::Calendar,
        Workload::Contacts,
        Workload::Files,
        Workload::Workbooks,
        Workload::Sites,
        Workload::Notes,
        Workload::Planner,
        Workload::Tasks,
        Workload::Teams,
        Workload::People,
        Workload::Devices,
        Workload::Education,
        Workload::Print,
        Workload::Reports,
        Workload::Security,
        Workload::Compliance,
        Workload::Search,
        Workload::Subscriptions,
        Workload::Bookings,
        Workload::Financials,
        Workload::Other,
    ];

    /// The cargo feature's name.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Users => "users",
            Workload::Groups => "groups",
            Workload::Applications => "applications",
            Workload::Identity => "identity",
            Workload::Mail => "mail",
            Workload::Calendar => "calendar",
            Workload::Contacts => "contacts",
            Workload::Files => "files",
            Workload::Workbooks => "workbooks",
            Workload::Sites => "sites",
            Workload::Notes => "notes",
            Workload::Planner => "planner",
            Workload::Tasks => "tasks",
            Workload::Teams => "teams",
            Workload::People => "people",
            Workload::Devices => "devices",
            Workload::Education => "education",
            Workload::Print => "print",
            Workload::Reports => "reports",
            Workload::Security => "security",
            Workload::Compliance => "compliance",
            Workload::Search => "search",
            Workload::Subscriptions => "subscriptions",
            Workload::Bookings => "bookings",
            Workload::Financials => "financials",
            Workload::Other => "other",
        }
    }

    /// What it covers, in one line: the generated crate's docs and manifest say it.
    pub fn summary(self) -> &'static str {
        match self {
            Workload::Users => {
                "users and the signed-in user (`/users`, `/me`): profile, manager, memberships, licenses, photos"
            }
            Workload::Groups => {
                "groups: members, owners, conversations and threads, group settings and lifecycle policies"
            }
            Workload::Applications => {
                "applications, service principals, app role assignments, OAuth2 permission grants"
            }
            Workload::Identity => {
                "identity and access: directory objects and roles, organization, domains, devices in the directory, policies, governance, protection, authentication methods, audit logs"
            }
            Workload::Mail => {
                "Outlook mail: messages, mail folders, mailbox settings, sending mail, categories"
            }
            Workload::Calendar => {
                "calendars, events, calendar views, meeting times, places and rooms"
            }
            Workload::Contacts => "personal contacts and contact folders",
            Workload::Files => "OneDrive and document libraries: drives, drive items, shares",
            Workload::Workbooks => {
                "Excel workbooks in drive items: worksheets, tables, ranges, charts"
            }
            Workload::Sites => "SharePoint sites, lists, list items, content types, the term store",
            Workload::Notes => "OneNote notebooks, sections and pages",
            Workload::Planner => "Planner plans, buckets and tasks",
            Workload::Tasks => "Microsoft To Do task lists and tasks",
            Workload::Teams => {
                "teamwork and communications: teams, channels, chats, apps, calls, online meetings, presence"
            }
            Workload::People => {
                "people and workplace intelligence: people, insights, analytics, profile"
            }
            Workload::Devices => {
                "device and app management (Intune): managed devices, apps, configurations, compliance"
            }
            Workload::Education => "education: schools, classes, assignments, education users",
            Workload::Print => "Universal Print: printers, shares, jobs, connectors",
            Workload::Reports => "usage and activity reports, service announcements",
            Workload::Security => {
                "security: alerts, secure scores, threat indicators, information protection"
            }
            Workload::Compliance => "compliance: eDiscovery cases",
            Workload::Search => "Microsoft Search and external connections",
            Workload::Subscriptions => "change notifications: subscriptions",
            Workload::Bookings => "Microsoft Bookings businesses and currencies",
            Workload::Financials => "Dynamics 365 Business Central financials",
            Workload::Other => "endpoints whose path no workload places",
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

impl Serialize for Workload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A set of workloads (a bit per workload), iterated in the documented order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkloadSet(u32);

impl WorkloadSet {
    pub fn single(workload: Workload) -> Self {
        WorkloadSet(workload.bit())
    }

    pub fn insert(&mut self, workload: Workload) {
        self.0 |= workload.bit();
    }

    pub fn contains(self, workload: Workload) -> bool {
        self.0 & workload.bit() != 0
    }

    pub fn union(self, other: WorkloadSet) -> WorkloadSet {
        WorkloadSet(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether every workload of `other` is in this set.
    pub fn is_superset(self, other: WorkloadSet) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn iter(self) -> impl Iterator<Item = Workload> {
        Workload::ALL
            .into_iter()
            .filter(move |workload| self.contains(*workload))
    }
}

impl FromIterator<Workload> for WorkloadSet {
    fn from_iter<I: IntoIterator<Item = Workload>>(iter: I) -> Self {
        let mut set = WorkloadSet::default();
        for workload in iter {
            set.insert(workload);
        }
        set
    }
}

impl Serialize for WorkloadSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The first segment of a path decides its workload (compared without case: the docs write
/// `calendarGroups` and `calendargroups`). Every root of the 2021 docs, both versions, is here.
const ROOTS: &[(Workload, &[&str])] = &[
    (
        Workload::Users,
        &["me", "users", "user", "dataPolicyOperations"],
    ),
    (
        Workload::Groups,
        &[
            "groups",
            "groupLifecyclePolicies",
            "groupSettings",
            "groupSettingTemplates",
        ],
    ),
    (
        Workload::Applications,
        &[
            "applications",
            "applicationTemplates",
            "servicePrincipals",
            "oauth2PermissionGrants",
            "onPremisesPublishingProfiles",
        ],
    ),
    (
        Workload::Identity,
        &[
            "identity",
            "identityGovernance",
            "identityProtection",
            "identityProviders",
            "policies",
            "roleManagement",
            "auditLogs",
            "invitations",
            "directory",
            "directoryObjects",
            "directoryRoles",
            "directoryRoleTemplates",
            "directorySettingTemplates",
            "settings",
            "administrativeUnits",
            "domains",
            "organization",
            "contracts",
            "contacts",
            "subscribedSkus",
            "devices",
            "schemaExtensions",
            "agreements",
            "accessReviews",
            "programs",
            "programControls",
            "programControlTypes",
            "businessFlowTemplates",
            "privilegedAccess",
            "privilegedApproval",
            "privilegedOperationEvents",
            "privilegedRoles",
            "privilegedRoleAssignments",
            "privilegedRoleAssignmentRequests",
            "trustFramework",
            "tenantRelationships",
            "riskyUsers",
            "riskDetections",
            "identityRiskEvents",
            "anonymousIpRiskEvents",
            "impossibleTravelRiskEvents",
            "leakedCredentialsRiskEvents",
            "malwareRiskEvents",
            "suspiciousIpRiskEvents",
            "unfamiliarLocationRiskEvents",
            "locatedRiskEvents",
        ],
    ),
    (Workload::Calendar, &["places"]),
    (Workload::Files, &["drive", "drives", "shares"]),
    (Workload::Sites, &["sites", "termStore"]),
    (Workload::Planner, &["planner"]),
    (
        Workload::Teams,
        &[
            "teams",
            "chats",
            "teamwork",
            "appCatalogs",
            "communications",
            "app",
        ],
    ),
    (
        Workload::Devices,
        &[
            "deviceManagement",
            "deviceAppManagement",
            "officeConfiguration",
            "onPremEncryptedPayloads",
            "pfxRecryptionRequests",
            "pfxUserCertificates",
        ],
    ),
    (Workload::Education, &["education"]),
    (Workload::Print, &["print"]),
    (Workload::Reports, &["reports", "admin"]),
    (Workload::Security, &["security", "informationProtection"]),
    (Workload::Compliance, &["compliance"]),
    (Workload::Search, &["search", "connections", "external"]),
    (Workload::Subscriptions, &["subscriptions"]),
    (
        Workload::Bookings,
        &["bookingBusinesses", "bookingCurrencies"],
    ),
    (Workload::Financials, &["financials"]),
];

/// Navigations into another workload's data: below a path of the first workload, a segment
/// named here switches to the second (`/users/{id}/messages` is mail, not users). Applied
/// along the whole path, so `/groups/{id}/drive/items/{id}/workbook` is groups, then files,
/// then workbooks.
const NAVIGATIONS: &[(Workload, Workload, &[&str])] = &[
    (
        Workload::Users,
        Workload::Mail,
        &[
            "messages",
            "mailFolders",
            "mailboxSettings",
            "inferenceClassification",
            "sendMail",
            "getMailTips",
            "outlook",
            "translateExchangeIds",
        ],
    ),
    (
        Workload::Users,
        Workload::Calendar,
        &[
            "calendar",
            "calendars",
            "calendarGroups",
            "calendarView",
            "events",
            "findMeetingTimes",
            "findRooms",
            "findRoomLists",
            "reminderView",
        ],
    ),
    (
        Workload::Users,
        Workload::Contacts,
        &["contacts", "contactFolders"],
    ),
    (Workload::Users, Workload::Files, &["drive", "drives"]),
    (Workload::Users, Workload::Sites, &["followedSites"]),
    (Workload::Users, Workload::Notes, &["onenote"]),
    (Workload::Users, Workload::Planner, &["planner"]),
    (Workload::Users, Workload::Tasks, &["todo"]),
    (
        Workload::Users,
        Workload::Teams,
        &[
            "chats",
            "joinedTeams",
            "teamwork",
            "onlineMeetings",
            "presence",
        ],
    ),
    (
        Workload::Users,
        Workload::People,
        &[
            "people",
            "insights",
            "analytics",
            "profile",
            "trendingAround",
        ],
    ),
    (
        Workload::Users,
        Workload::Devices,
        &[
            "managedDevices",
            "managedAppRegistrations",
            "deviceManagementTroubleshootingEvents",
            "mobileAppIntentAndStates",
            "mobileAppTroubleshootingEvents",
            "getManagedAppDiagnosticStatuses",
            "getManagedAppPolicies",
            "getManagedAppBlockedUsers",
            "getLoggedOnManagedDevices",
            "getManagedDevicesWithAppFailures",
            "getManagedDevicesWithFailedOrPendingApps",
            "getEffectiveDeviceEnrollmentConfigurations",
            "isManagedAppUserBlocked",
            "removeAllDevicesFromManagement",
            "unblockManagedApps",
            "wipeAndBlockManagedApps",
            "wipeManagedAppRegistrationByDeviceTag",
            "wipeManagedAppRegistrationsByDeviceTag",
            "exportDeviceAndAppManagementData",
        ],
    ),
    (
        Workload::Users,
        Workload::Identity,
        &["authentication", "pendingAccessReviewInstances"],
    ),
    (
        Workload::Users,
        Workload::Security,
        &["informationProtection"],
    ),
    (
        Workload::Groups,
        Workload::Calendar,
        &["calendar", "calendarView", "events"],
    ),
    (Workload::Groups, Workload::Files, &["drive", "drives"]),
    (Workload::Groups, Workload::Sites, &["sites"]),
    (Workload::Groups, Workload::Notes, &["onenote"]),
    (Workload::Groups, Workload::Planner, &["planner"]),
    (Workload::Groups, Workload::Teams, &["team"]),
    (Workload::Sites, Workload::Files, &["drive", "drives"]),
    (Workload::Sites, Workload::Notes, &["onenote"]),
    (Workload::Sites, Workload::Workbooks, &["workbook"]),
    (Workload::Files, Workload::Workbooks, &["workbook"]),
    (Workload::Reports, Workload::Devices, &["windows"]),
];

/// Lowercased segment → workload, and (workload, lowercased segment) → workload: the tables
/// above as maps, built once.
struct Tables {
    roots: HashMap<String, Workload>,
    navigations: HashMap<(Workload, String), Workload>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        roots: ROOTS
            .iter()
            .flat_map(|(workload, segments)| {
                segments
                    .iter()
                    .map(|segment| (segment.to_ascii_lowercase(), *workload))
            })
            .collect(),
        navigations: NAVIGATIONS
            .iter()
            .flat_map(|(from, to, segments)| {
                segments
                    .iter()
                    .map(|segment| ((*from, segment.to_ascii_lowercase()), *to))
            })
            .collect(),
    })
}

/// The name a path part is matched by: a segment, or a function's name, without namespace
/// (`microsoft.graph.reminderView(...)` is `reminderview`). Parameters have none.
fn matched_name(part: &PathPart) -> Option<String> {
    let name = match part {
        PathPart::Static { segment } => segment.as_str(),
        PathPart::Function { name, .. } => name.as_str(),
        PathPart::Parameter { .. } | PathPart::ItemPath { .. } => return None,
    };
    let name = name.rsplit('.').next().unwrap_or(name);
    Some(name.to_ascii_lowercase())
}

/// The workload of a request path (see the module docs).
pub fn workload_of_path(path: &[PathPart]) -> Workload {
    let tables = tables();
    let mut parts = path.iter();
    let Some(mut workload) = parts
        .next()
        .and_then(matched_name)
        .and_then(|root| tables.roots.get(&root).copied())
    else {
        return Workload::Other;
    };
    for name in parts.filter_map(matched_name) {
        if let Some(next) = tables.navigations.get(&(workload, name)) {
            workload = *next;
        }
    }
    workload
}

impl Operation {
    /// The workload (cargo feature) this endpoint belongs to, from its path.
    pub fn workload(&self) -> Workload {
        workload_of_path(&self.path)
    }
}

/// The workloads that compile each generated type, keyed by its Rust path.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TypeWorkloads {
    by_type: BTreeMap<TypePath, WorkloadSet>,
}

impl TypeWorkloads {
    /// The workloads that compile `path`: never empty for a type the API defines.
    pub fn of(&self, path: &TypePath) -> WorkloadSet {
        self.by_type.get(path).copied().unwrap_or_default()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&TypePath, WorkloadSet)> {
        self.by_type.iter().map(|(path, set)| (path, *set))
    }
}

impl Api {
    /// Every workload an endpoint or a type of this API is in: the cargo features.
    pub fn workloads(&self) -> WorkloadSet {
        self.operations
            .iter()
            .map(Operation::workload)
            .collect::<WorkloadSet>()
            .union(
                self.type_workloads
                    .iter()
                    .fold(WorkloadSet::default(), |all, (_, set)| all.union(set)),
            )
    }

    /// The Rust paths of the generated types `path` names directly: a model's base and
    /// property types, a polymorphic enum's base and variants, a query set's selectors, a
    /// selector's model. What [`Api::type_workloads`] follows.
    fn type_edges(&self) -> BTreeMap<TypePath, Vec<TypePath>> {
        let mut edges: BTreeMap<TypePath, Vec<TypePath>> = BTreeMap::new();
        for model in &self.models {
            let mut out: Vec<TypePath> = model.base.iter().cloned().collect();
            for field in &model.fields {
                field_type_paths(&field.field_type, &mut out);
            }
            // A dictionary reaches its values' type.
            if let Some(values) = &model.dictionary {
                field_type_paths(values, &mut out);
            }
            edges.insert(path_of(&model.area, &model.rust_name), out);
        }
        for def in &self.polymorphic {
            let mut out = vec![def.base.clone()];
            out.extend(def.variants.iter().map(|variant| variant.path.clone()));
            edges.insert(path_of(&def.area, &def.rust_name), out);
        }
        for def in &self.enums {
            edges.insert(path_of(&def.area, &def.rust_name), Vec::new());
        }
        for def in &self.selectors {
            // The selector's docs link to its model.
            edges.insert(path_of(&def.area, &def.rust_name), vec![def.model.clone()]);
        }
        for def in &self.query_sets {
            edges.insert(
                path_of(&def.area, &def.rust_name),
                def.selectors.values().cloned().collect(),
            );
        }
        edges
    }
}

fn path_of(area: &str, name: &str) -> TypePath {
    TypePath {
        area: area.to_string(),
        name: name.to_string(),
    }
}

/// The generated types a field type names (an item of a collection too).
fn field_type_paths(field_type: &FieldType, out: &mut Vec<TypePath>) {
    match field_type {
        FieldType::Model { path }
        | FieldType::Polymorphic { path }
        | FieldType::Enum { path }
        | FieldType::Flags { path } => out.push(path.clone()),
        FieldType::Collection { item } => field_type_paths(item, out),
        FieldType::Primitive { .. } | FieldType::Json => {}
    }
}

/// The generated types an operation names: its body, its response, its query options.
fn operation_type_paths(operation: &Operation) -> Vec<TypePath> {
    let mut out = Vec::new();
    if let Body::Model { path } = &operation.body {
        out.push(path.clone());
    }
    if let Some(field_type) = operation.response.field_type() {
        field_type_paths(field_type, &mut out);
    }
    // The runtime's `AnyOptions` belongs to no workload.
    out.extend(
        operation
            .query_set
            .iter()
            .filter(|path| !path.is_runtime())
            .cloned(),
    );
    out
}

/// Computes which workloads compile each type of `api`. `area_of_page` gives the area of an
/// operation's page (by file).
///
/// 1. Each endpoint's workload reaches the types it names, and everything they name in turn
///    (see [`Api::type_edges`]).
/// 2. A type no endpoint reaches (a webhook payload, a derived type of a base that is never a
///    property) goes with the workloads of the endpoints documented in its area (`ms.prod`),
///    or with every workload when its area documents none; what it names follows it.
pub(super) fn assign(api: &mut Api, area_of_page: &dyn Fn(&str) -> Option<String>) {
    let edges = api.type_edges();
    let mut sets: BTreeMap<TypePath, WorkloadSet> = edges
        .keys()
        .map(|path| (path.clone(), WorkloadSet::default()))
        .collect();
    let mut roots: Vec<(TypePath, WorkloadSet)> = Vec::new();
    let mut by_area: BTreeMap<String, WorkloadSet> = BTreeMap::new();
    let mut in_use = WorkloadSet::default();
    for operation in &api.operations {
        let workload = WorkloadSet::single(operation.workload());
        in_use = in_use.union(workload);
        if let Some(area) = area_of_page(&operation.source.file) {
            let entry = by_area.entry(area).or_default();
            *entry = entry.union(workload);
        }
        for path in operation_type_paths(operation) {
            roots.push((path, workload));
        }
    }
    propagate(&edges, &mut sets, roots);
    if in_use.is_empty() {
        // Types and no endpoint at all: they belong to no workload users could choose.
        in_use = WorkloadSet::single(Workload::Other);
    }
    let unreached: Vec<(TypePath, WorkloadSet)> = sets
        .iter()
        .filter(|(_, set)| set.is_empty())
        .map(|(path, _)| {
            let fallback = by_area
                .get(&path.area)
                .copied()
                .filter(|set| !set.is_empty())
                .unwrap_or(in_use);
            (path.clone(), fallback)
        })
        .collect();
    propagate(&edges, &mut sets, unreached);
    api.type_workloads = TypeWorkloads { by_type: sets };
}

/// Adds each root's workloads to it and to everything it reaches, until nothing changes.
fn propagate(
    edges: &BTreeMap<TypePath, Vec<TypePath>>,
    sets: &mut BTreeMap<TypePath, WorkloadSet>,
    roots: Vec<(TypePath, WorkloadSet)>,
) {
    let mut pending = roots;
    while let Some((path, adding)) = pending.pop() {
        let Some(set) = sets.get_mut(&path) else {
            // A name the model does not define (it would be JSON): nothing to compile.
            continue;
        };
        if set.is_superset(adding) {
            continue;
        }
        *set = set.union(adding);
        let now = *set;
        for next in edges.get(&path).into_iter().flatten() {
            pending.push((next.clone(), now));
        }
    }
}

/// A type that one of its workloads compiles while a type it names is not compiled: with
/// that workload alone, a property would have no type. [`assign`] never leaves one; the
/// tests hold it to that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingType {
    pub workload: Workload,
    pub from: TypePath,
    pub missing: TypePath,
}

impl Api {
    /// Every place where enabling one workload would compile a type or an endpoint without a
    /// type it names. Empty when the workloads are closed, as [`assign`] makes them.
    pub fn missing_types(&self) -> Vec<MissingType> {
        let mut missing = Vec::new();
        let mut check = |from: &TypePath, workloads: WorkloadSet, named: &[TypePath]| {
            for path in named {
                let have = self.type_workloads.of(path);
                for workload in workloads
                    .iter()
                    .filter(|workload| !have.contains(*workload))
                {
                    missing.push(MissingType {
                        workload,
                        from: from.clone(),
                        missing: path.clone(),
                    });
                }
            }
        };
        for (from, named) in self.type_edges() {
            check(&from, self.type_workloads.of(&from), &named);
        }
        for operation in &self.operations {
            let from = TypePath {
                area: "(endpoint)".to_string(),
                name: operation.template(),
            };
            check(
                &from,
                WorkloadSet::single(operation.workload()),
                &operation_type_paths(operation),
            );
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request path as the docs write it, as path parts: enough for the table, which
    /// looks only at segment and function names.
    fn parts(template: &str) -> Vec<PathPart> {
        template
            .trim_start_matches('/')
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    PathPart::Parameter {
                        graph_name: segment.trim_matches(['{', '}']).to_string(),
                        rust_name: "id".to_string(),
                        alternatives: Vec::new(),
                    }
                } else if let Some((name, _)) = segment.split_once('(') {
                    PathPart::Function {
                        name: name.to_string(),
                        arguments: Vec::new(),
                    }
                } else {
                    PathPart::Static {
                        segment: segment.to_string(),
                    }
                }
            })
            .collect()
    }

    fn workload(template: &str) -> &'static str {
        workload_of_path(&parts(template)).name()
    }

    #[test]
    fn the_first_segment_decides() {
        assert_eq!(workload("/users/{id}"), "users");
        assert_eq!(workload("/me"), "users");
        assert_eq!(workload("/groups/{id}/members"), "groups");
        assert_eq!(
            workload("/servicePrincipals/{id}/appRoleAssignments"),
            "applications"
        );
        assert_eq!(workload("/directoryRoles/{id}/members"), "identity");
        assert_eq!(workload("/deviceManagement/managedDevices/{id}"), "devices");
        assert_eq!(workload("/education/users/{id}/classes"), "education");
        assert_eq!(
            workload("/DeviceAppManagement/mobileApps"),
            "devices",
            "any case"
        );
        assert_eq!(workload("/~/drive"), "other", "a docs typo");
    }

    #[test]
    fn navigations_switch_to_the_workload_of_the_data() {
        // The cases the issue names: mail, a group's members, files by item id.
        assert_eq!(workload("/me/sendMail"), "mail");
        assert_eq!(workload("/users/{id}/messages/{id}/attachments"), "mail");
        assert_eq!(workload("/me/drive/items/{id}"), "files");
        assert_eq!(workload("/groups/{id}/drive/root/children"), "files");
        assert_eq!(workload("/sites/{id}/drives"), "files");
        assert_eq!(
            workload("/me/drive/items/{id}/workbook/worksheets"),
            "workbooks"
        );
        assert_eq!(workload("/groups/{id}/calendar/events"), "calendar");
        assert_eq!(workload("/me/calendargroups/{id}/calendars"), "calendar");
        assert_eq!(
            workload("/users/{id}/reminderView(startDateTime='a',endDateTime='b')"),
            "calendar"
        );
        assert_eq!(workload("/users/{id}/managedDevices/{id}"), "devices");
        assert_eq!(workload("/me/joinedTeams"), "teams");
        assert_eq!(workload("/groups/{id}/team/channels"), "teams");
    }

    #[test]
    fn a_navigation_counts_only_below_its_own_workload() {
        // A channel's messages are Teams chat messages, not mail; a class's group stays
        // education.
        assert_eq!(workload("/teams/{id}/channels/{id}/messages"), "teams");
        assert_eq!(workload("/chats/{id}/messages"), "teams");
        assert_eq!(workload("/education/classes/{id}/group"), "education");
        assert_eq!(
            workload("/contacts/{id}/manager"),
            "identity",
            "organisational contacts"
        );
        assert_eq!(
            workload("/me/contacts/{id}"),
            "contacts",
            "personal contacts"
        );
    }

    #[test]
    fn every_table_entry_names_a_known_workload_once() {
        let mut roots = std::collections::BTreeSet::new();
        for (_, segments) in ROOTS {
            for segment in *segments {
                assert!(
                    roots.insert(segment.to_ascii_lowercase()),
                    "{segment} twice"
                );
            }
        }
        let mut navigations = std::collections::BTreeSet::new();
        for (from, _, segments) in NAVIGATIONS {
            for segment in *segments {
                assert!(
                    navigations.insert((*from, segment.to_ascii_lowercase())),
                    "{segment} twice below {from:?}"
                );
            }
        }
        for workload in Workload::ALL {
            assert_eq!(
                Workload::ALL
                    .iter()
                    .filter(|other| other.name() == workload.name())
                    .count(),
                1
            );
        }
    }

    #[test]
    fn sets_iterate_in_the_documented_order() {
        let set: WorkloadSet = [Workload::Mail, Workload::Users, Workload::Other]
            .into_iter()
            .collect();
        let names: Vec<&str> = set.iter().map(Workload::name).collect();
        assert_eq!(names, ["users", "mail", "other"]);
        assert!(set.is_superset(WorkloadSet::single(Workload::Mail)));
        assert!(!WorkloadSet::single(Workload::Mail).is_superset(set));
    }
}
