//! One clause, one point: which point each clause of an answer carries.
//!
//! A sentence earns at most as many points as it has clauses (see
//! `Unit::capacity`); this says which clauses. Keyword salad packs the words
//! of two points into one clause ("the small integer cache means integers
//! above 256 are stored as strings"), where an honest sentence gives each
//! point a clause of its own ("`is` compares identity, and `==` compares
//! values"). So a point is earned from a unit only where its groups can be
//! met in clauses no other point of the answer holds, but for a subject the
//! two claims share.

use super::answer::{Found, Prepared};

/// Which point holds each clause of an answer.
pub(super) struct Owners {
    owner: Vec<Option<usize>>,
}

impl Owners {
    pub fn new(prepared: &Prepared) -> Self {
        let clauses = prepared.clause.last().map_or(0, |&c| c as usize + 1);
        Owners {
            owner: vec![None; clauses],
        }
    }

    /// The clauses point `point` would hold if `f` earned it: for each
    /// group, the first occurrence whose words all lie in clauses free for
    /// the point. One group may instead be met only in another point's
    /// clause, if that comes before the point's own: the subject, said
    /// once for two claims ("Multiprocessing starts separate processes,
    /// each with its own interpreter, so they can use every core"). `None`
    /// when the point has no clause of its own in the unit.
    pub fn room(&self, prepared: &Prepared, point: usize, f: &Found) -> Option<Vec<u32>> {
        let mut held = Vec::new();
        let mut subject = None;
        for group in &f.choices {
            let free = group.iter().find(|o| {
                prepared.clause[o.start..o.end]
                    .iter()
                    .all(|&c| self.owner[c as usize].is_none_or(|p| p == point))
            });
            match (free, subject) {
                (Some(o), _) => held.extend_from_slice(&prepared.clause[o.start..o.end]),
                (None, None) => subject = Some(prepared.clause[group.first()?.start]),
                (None, Some(_)) => return None,
            }
        }
        let own = held.iter().min()?;
        if subject.is_some_and(|s| s >= *own) {
            return None;
        }
        held.sort_unstable();
        held.dedup();
        Some(held)
    }

    /// The other points holding clauses where `f`'s groups occur.
    pub fn blockers(&self, prepared: &Prepared, point: usize, f: &Found) -> Vec<usize> {
        let mut out: Vec<usize> = f
            .choices
            .iter()
            .flatten()
            .flat_map(|o| &prepared.clause[o.start..o.end])
            .filter_map(|&c| self.owner[c as usize])
            .filter(|&p| p != point)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn hold(&mut self, point: usize, clauses: &[u32]) {
        for &c in clauses {
            self.owner[c as usize] = Some(point);
        }
    }

    /// Gives up every clause `point` holds; returns them.
    pub fn release(&mut self, point: usize) -> Vec<u32> {
        let mut freed = Vec::new();
        for (c, o) in self.owner.iter_mut().enumerate() {
            if *o == Some(point) {
                *o = None;
                freed.push(c as u32);
            }
        }
        freed
    }
}
