//! The resolver: events in, incidents out, incrementally.
//!
//! Each event added is compared only with the events a spatial-temporal index offers as
//! candidates (grid cells of a quarter degree by 4-day buckets, and administrative areas for events
//! placed only by region), and joined to every compatible one in a union-find. The connected
//! groups are then cut into incidents by complete linkage: the strongest compatible pairs merge
//! first, and two groups merge only when every pair across them is compatible. Both steps depend
//! on the set of events and decisions only, never on the order they came in.
//!
//! A resolver fed events in the order their windows start can also sweep
//! ([`Resolver::close_before`]): a group that no event still to come can reach is cut into
//! incidents and let go, so that resolving every event of a long record holds only the weeks
//! the sweep is in, never the whole record.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};
use truce_model::EventRef;

use crate::event::ClusterEvent;
use crate::rules::{ResolverConfig, Verdict, compare, effective_precision};

/// Grid cell size, degrees.
const CELL_DEGREES: f64 = 0.25;
/// Time bucket size, days.
const BUCKET_DAYS: i32 = 4;
/// km per degree of latitude.
const KM_PER_DEGREE: f64 = 111.2;

/// A person's decision about two events, which outranks the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Constraint {
    /// The two events are the same occurrence (a merge).
    Together {
        /// One event.
        a: EventRef,
        /// The other.
        b: EventRef,
    },
    /// The two events are different occurrences (a split).
    Apart {
        /// One event.
        a: EventRef,
        /// The other.
        b: EventRef,
    },
}

impl Constraint {
    /// The two events, smaller first.
    pub fn pair(&self) -> (EventRef, EventRef) {
        let (Self::Together { a, b } | Self::Apart { a, b }) = *self;
        (a.min(b), a.max(b))
    }
}

/// Resolves events into incidents.
#[derive(Debug, Default)]
pub struct Resolver {
    config: ResolverConfig,
    /// The events held, by slot; a slot let go by [`Resolver::close_before`] is `None` until an
    /// event added later takes it.
    events: Vec<Option<ClusterEvent>>,
    /// Slots let go, to be taken again.
    free: Vec<u32>,
    index_of: FxHashMap<EventRef, u32>,
    parent: Vec<u32>,
    size: Vec<u32>,
    /// Each group's members, kept at its root.
    members: Vec<Vec<u32>>,
    /// The last time bucket an event is filed under (`i32::MIN` for one without a window);
    /// at a group's root, the last of the group's.
    last_bucket: Vec<i32>,
    /// Groups by the last bucket they reach, earliest first (stale entries are skipped); kept
    /// from the first [`Resolver::close_before`] on, so a resolver that never sweeps keeps none.
    closing: BinaryHeap<Reverse<(i32, u32)>>,
    /// Whether the resolver sweeps (`closing` is kept).
    sweeping: bool,
    /// The first bucket no event still to come may be filed under ([`Resolver::close_before`]).
    swept: i32,
    /// The index keys first filed under each bucket, to be dropped when the sweep passes it.
    filed_at: BTreeMap<i32, Filed>,
    /// (lat cell, lon cell, bucket) → events placed near a town or better.
    grid: FxHashMap<(i32, i32, i32), Vec<u32>>,
    /// (area, bucket) → every event with a country.
    areas: FxHashMap<(u64, i32), Vec<u32>>,
    /// (area, bucket) → events placed only by region or country.
    vague: FxHashMap<(u64, i32), Vec<u32>>,
    /// bucket → every event dated to the day (what an event naming no place may match).
    daily: FxHashMap<i32, Vec<u32>>,
    /// bucket → events dated to the day that name no place.
    unplaced: FxHashMap<i32, Vec<u32>>,
    together: FxHashMap<EventRef, Vec<EventRef>>,
    apart: FxHashSet<(EventRef, EventRef)>,
    stamp: Vec<u32>,
    generation: u32,
    comparisons: u64,
}

/// The index keys first filed under one time bucket.
#[derive(Debug, Default)]
struct Filed {
    cells: Vec<(i32, i32)>,
    areas: Vec<u64>,
    vague: Vec<u64>,
    days: bool,
}

fn bucket_of(day: NaiveDate) -> i32 {
    day.num_days_from_ce().div_euclid(BUCKET_DAYS)
}

impl Resolver {
    /// An empty resolver.
    pub fn new(config: ResolverConfig) -> Self {
        Self {
            config,
            swept: i32::MIN,
            ..Self::default()
        }
    }

    /// How many events it holds.
    pub fn len(&self) -> usize {
        self.index_of.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.index_of.is_empty()
    }

    fn at(&self, i: u32) -> &ClusterEvent {
        self.events[i as usize]
            .as_ref()
            .expect("a slot in the index holds an event")
    }

    /// How many pairs of events the rules have compared so far (the index keeps this far below
    /// all pairs).
    pub fn comparisons(&self) -> u64 {
        self.comparisons
    }

    /// The event with this key.
    pub fn event(&self, key: EventRef) -> Option<&ClusterEvent> {
        self.index_of.get(&key).map(|&i| self.at(i))
    }

    /// Records a person's decision. It applies to events already added and to those added later.
    /// A later decision about the same pair replaces an earlier one.
    pub fn constrain(&mut self, constraint: Constraint) {
        let (a, b) = constraint.pair();
        if a == b {
            return;
        }
        match constraint {
            Constraint::Together { .. } => {
                self.apart.remove(&(a, b));
                self.together.entry(a).or_default().push(b);
                self.together.entry(b).or_default().push(a);
                if let (Some(&i), Some(&j)) = (self.index_of.get(&a), self.index_of.get(&b)) {
                    self.union(i, j);
                }
            }
            Constraint::Apart { .. } => {
                for (x, y) in [(a, b), (b, a)] {
                    if let Some(list) = self.together.get_mut(&x) {
                        list.retain(|k| *k != y);
                    }
                }
                self.apart.insert((a, b));
            }
        }
    }

    /// Adds an event: it joins the group of every compatible event already here. An event whose
    /// key is already present is ignored (returns `false`).
    pub fn add(&mut self, event: ClusterEvent) -> bool {
        if self.index_of.contains_key(&event.key) {
            return false;
        }
        let slots = Slots::of(&event, &self.config);
        let last = slots.last_bucket;
        let i = match self.free.pop() {
            Some(i) => {
                let s = i as usize;
                self.parent[s] = i;
                self.size[s] = 1;
                self.stamp[s] = 0;
                self.members[s].push(i);
                self.last_bucket[s] = last;
                self.events[s] = Some(event);
                i
            }
            None => {
                let i = self.events.len() as u32;
                self.parent.push(i);
                self.size.push(1);
                self.stamp.push(0);
                self.members.push(vec![i]);
                self.last_bucket.push(last);
                self.events.push(Some(event));
                i
            }
        };
        self.index_of.insert(self.at(i).key, i);
        if self.sweeping {
            self.closing.push(Reverse((last, i)));
        }

        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
        let generation = self.generation;
        self.stamp[i as usize] = generation;
        let mut candidates: Vec<u32> = Vec::new();
        let mut collect = |list: Option<&Vec<u32>>, stamp: &mut Vec<u32>| {
            for &j in list.into_iter().flatten() {
                if stamp[j as usize] != generation {
                    stamp[j as usize] = generation;
                    candidates.push(j);
                }
            }
        };
        for cell in &slots.cells {
            collect(self.grid.get(cell), &mut self.stamp);
        }
        for area in slots.areas.iter().chain(&slots.country) {
            collect(self.vague.get(area), &mut self.stamp);
        }
        if slots.vague {
            for area in &slots.areas {
                collect(self.areas.get(area), &mut self.stamp);
            }
        }
        // Reports that name no place are rare: most events have none to look at.
        if !self.unplaced.is_empty() || slots.unplaced {
            for day in &slots.days {
                collect(self.unplaced.get(day), &mut self.stamp);
                if slots.unplaced {
                    collect(self.daily.get(day), &mut self.stamp);
                }
            }
        }
        for j in candidates {
            self.comparisons += 1;
            if matches!(
                compare(self.at(i), self.at(j), &self.config),
                Verdict::Same(_)
            ) {
                self.union(i, j);
            }
        }
        let key = self.at(i).key;
        if let Some(partners) = self.together.get(&key).cloned() {
            for p in partners {
                if let Some(&j) = self.index_of.get(&p) {
                    self.union(i, j);
                }
            }
        }

        for (y, x, b) in slots.cells {
            let list = self.grid.entry((y, x, b)).or_insert_with(|| {
                self.filed_at.entry(b).or_default().cells.push((y, x));
                Vec::new()
            });
            list.push(i);
        }
        for &(area, b) in slots.areas.iter().chain(&slots.country) {
            let list = self.areas.entry((area, b)).or_insert_with(|| {
                self.filed_at.entry(b).or_default().areas.push(area);
                Vec::new()
            });
            list.push(i);
        }
        if slots.vague {
            for (area, b) in slots.areas {
                let list = self.vague.entry((area, b)).or_insert_with(|| {
                    self.filed_at.entry(b).or_default().vague.push(area);
                    Vec::new()
                });
                list.push(i);
            }
        }
        for day in slots.days {
            self.filed_at.entry(day).or_default().days = true;
            self.daily.entry(day).or_default().push(i);
            if slots.unplaced {
                self.unplaced.entry(day).or_default().push(i);
            }
        }
        true
    }

    /// Sweeps up to `day`: the caller promises that every event it adds from now on has a
    /// window that starts on `day` or later (it adds them in the order their windows start;
    /// events without a window, which are compared with nothing, first). Every group that no
    /// such event can reach (all its events' windows end before the time bucket of `day`
    /// begins, and none waits for an event a person merged it with) is cut into incidents,
    /// returned in the order of their first keys, and let go: the resolver no longer holds or
    /// indexes its events.
    ///
    /// Resolving a record this way gives the incidents [`Resolver::incidents`] gives for all
    /// of it at once (each group is cut from the same events, compared in the same pairs),
    /// holding only the groups the sweep is among. An event added against the promise is
    /// compared only with the events still held.
    pub fn close_before(&mut self, day: NaiveDate) -> Vec<Vec<EventRef>> {
        let bucket = bucket_of(day);
        if bucket <= self.swept {
            return Vec::new();
        }
        self.swept = bucket;
        if !self.sweeping {
            // The first sweep: every group held so far is filed by the last bucket it reaches.
            self.sweeping = true;
            for root in 0..self.members.len() as u32 {
                if !self.members[root as usize].is_empty() && self.parent[root as usize] == root {
                    self.closing
                        .push(Reverse((self.last_bucket[root as usize], root)));
                }
            }
        }
        // No event to come is filed under an earlier bucket, nor looks in one.
        let later = self.filed_at.split_off(&bucket);
        for (b, filed) in std::mem::replace(&mut self.filed_at, later) {
            for (y, x) in filed.cells {
                self.grid.remove(&(y, x, b));
            }
            for area in filed.areas {
                self.areas.remove(&(area, b));
            }
            for area in filed.vague {
                self.vague.remove(&(area, b));
            }
            if filed.days {
                self.daily.remove(&b);
                self.unplaced.remove(&b);
            }
        }
        let mut incidents = Vec::new();
        while let Some(&Reverse((last, root))) = self.closing.peek() {
            if last >= bucket {
                break;
            }
            self.closing.pop();
            let r = root as usize;
            // Stale: the slot was let go, or its group joined another, or reaches further now.
            if self.events[r].is_none() || self.parent[r] != root || self.last_bucket[r] != last {
                continue;
            }
            let waiting = self.members[r].iter().any(|&m| {
                self.together
                    .get(&self.at(m).key)
                    .is_some_and(|partners| partners.iter().any(|p| !self.index_of.contains_key(p)))
            });
            if waiting {
                // Held until the partner comes (its union files the group again).
                continue;
            }
            let members = std::mem::take(&mut self.members[r]);
            incidents.extend(self.cut(&members));
            for m in members {
                if let Some(event) = self.events[m as usize].take() {
                    self.index_of.remove(&event.key);
                }
                self.free.push(m);
            }
        }
        incidents.sort_unstable_by_key(|keys| keys[0]);
        incidents
    }

    fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let grand = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grand;
            i = grand;
        }
        i
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
        let last = self.last_bucket[big as usize].max(self.last_bucket[small as usize]);
        self.last_bucket[big as usize] = last;
        if self.sweeping {
            self.closing.push(Reverse((last, big)));
        }
    }

    /// The keys of every event connected to this one (compatible with it directly or through
    /// others, or joined by a person): the group its incident is cut from.
    pub fn group_of(&mut self, key: EventRef) -> Vec<EventRef> {
        let Some(&i) = self.index_of.get(&key) else {
            return Vec::new();
        };
        let root = self.find(i);
        let mut keys: Vec<EventRef> = self.members[root as usize]
            .iter()
            .map(|&j| self.at(j).key)
            .collect();
        keys.sort();
        keys
    }

    /// The incidents of every event held: each a sorted list of event keys; incidents ordered
    /// by their first key.
    pub fn incidents(&mut self) -> Vec<Vec<EventRef>> {
        let mut incidents = Vec::new();
        for (root, members) in self.members.iter().enumerate() {
            if !members.is_empty() && self.parent[root] == root as u32 {
                incidents.extend(self.cut(members));
            }
        }
        incidents.sort_unstable_by_key(|keys| keys[0]);
        incidents
    }

    /// The incidents of one group (its members' slots).
    fn cut(&self, members: &[u32]) -> Vec<Vec<EventRef>> {
        match members {
            [one] => vec![vec![self.at(*one).key]],
            _ => self.partition(members.to_vec()),
        }
    }

    /// Cuts a connected group into incidents by complete linkage.
    fn partition(&self, mut members: Vec<u32>) -> Vec<Vec<EventRef>> {
        members.sort_unstable_by_key(|&i| self.at(i).key);
        let n = members.len();
        let key = |x: usize| self.at(members[x]).key;
        let mut compatible = vec![false; n * n];
        // Pairs a person kept apart, read from the decisions once here, not at every merge.
        let mut kept_apart = vec![false; n * n];
        let mut edges: Vec<(f64, usize, usize)> = Vec::new();
        let mut forced: Vec<(usize, usize)> = Vec::new();
        for x in 0..n {
            for y in x + 1..n {
                let (kx, ky) = (key(x), key(y));
                let joined = self.together.get(&kx).is_some_and(|l| l.contains(&ky));
                let ok = if joined {
                    forced.push((x, y));
                    true
                } else if self.apart.contains(&(kx, ky)) {
                    kept_apart[x * n + y] = true;
                    kept_apart[y * n + x] = true;
                    false
                } else {
                    match compare(self.at(members[x]), self.at(members[y]), &self.config) {
                        Verdict::Same(strength) => {
                            edges.push((strength, x, y));
                            true
                        }
                        Verdict::Different(_) => false,
                    }
                };
                compatible[x * n + y] = ok;
                compatible[y * n + x] = ok;
            }
        }
        // Each member's set, as a list of members; `owner[x]` is the set holding x.
        let mut owner: Vec<usize> = (0..n).collect();
        let mut sets: Vec<Vec<usize>> = (0..n).map(|x| vec![x]).collect();
        // A person's merge joins two sets unless a person kept two of their events apart (the
        // later decision about a pair replaces the earlier, so a split always holds); the rules
        // join two sets only when every pair across them is compatible.
        let mut merge = |x: usize, y: usize, forced: bool, owner: &mut Vec<usize>| {
            let (sx, sy) = (owner[x], owner[y]);
            if sx == sy {
                return;
            }
            let allowed = if forced {
                !sets[sx]
                    .iter()
                    .any(|&p| sets[sy].iter().any(|&q| kept_apart[p * n + q]))
            } else {
                sets[sx]
                    .iter()
                    .all(|&p| sets[sy].iter().all(|&q| compatible[p * n + q]))
            };
            if !allowed {
                return;
            }
            let (keep, gone) = (sx.min(sy), sx.max(sy));
            let moved = std::mem::take(&mut sets[gone]);
            for &m in &moved {
                owner[m] = keep;
            }
            sets[keep].extend(moved);
        };
        for (x, y) in forced {
            merge(x, y, true, &mut owner);
        }
        edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, x, y) in edges {
            merge(x, y, false, &mut owner);
        }
        let mut out: Vec<Vec<EventRef>> = Vec::new();
        let mut seen = vec![false; n];
        for x in 0..n {
            let s = owner[x];
            if seen[s] {
                continue;
            }
            seen[s] = true;
            let mut keys: Vec<EventRef> = (0..n).filter(|&m| owner[m] == s).map(key).collect();
            keys.sort();
            out.push(keys);
        }
        out
    }
}

/// Where an event sits in the index: it is filed under, and looks in, the same slots.
struct Slots {
    cells: Vec<(i32, i32, i32)>,
    /// Its own area (country and first-order area) by bucket.
    areas: Vec<(u64, i32)>,
    /// Its country alone by bucket, when it has a first-order area (else `areas` is that).
    country: Vec<(u64, i32)>,
    vague: bool,
    /// Its buckets, when it is dated to the day (the only events an unplaced one may match).
    days: Vec<i32>,
    /// Whether it names no place.
    unplaced: bool,
    /// The last bucket it is filed under (`i32::MIN` without a window).
    last_bucket: i32,
}

impl Slots {
    fn of(event: &ClusterEvent, config: &ResolverConfig) -> Self {
        let mut slots = Slots {
            cells: Vec::new(),
            areas: Vec::new(),
            country: Vec::new(),
            vague: false,
            days: Vec::new(),
            unplaced: event.unplaced(),
            last_bucket: i32::MIN,
        };
        let Some((from, to)) = event.window() else {
            return slots;
        };
        let buckets = bucket_of(from)..=bucket_of(to);
        slots.last_bucket = bucket_of(to);
        if event.time_precision == 1 {
            slots.days = buckets.clone().collect();
        }
        let precision = effective_precision(event);
        slots.vague = precision == 3;
        if let (Some((lat, lon)), true) = (event.point(), precision < 3) {
            let radius = if precision == 1 {
                config.same_place_km
            } else {
                config.near_km
            };
            let dlat = radius / KM_PER_DEGREE;
            let dlon = (radius / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01))).min(180.0);
            let cell = |v: f64| (v / CELL_DEGREES).floor() as i32;
            for y in cell(lat - dlat)..=cell(lat + dlat) {
                for x in cell(lon - dlon)..=cell(lon + dlon) {
                    for b in buckets.clone() {
                        slots.cells.push((y, x, b));
                    }
                }
            }
        }
        if let Some(country) = &event.country {
            let key = |admin1: Option<&String>| {
                let mut h = FxHasher::default();
                country.hash(&mut h);
                admin1.hash(&mut h);
                h.finish()
            };
            let area = key(event.admin1.as_ref());
            let whole = key(None);
            for b in buckets {
                slots.areas.push((area, b));
                if event.admin1.is_some() {
                    slots.country.push((whole, b));
                }
            }
        }
        slots
    }
}
