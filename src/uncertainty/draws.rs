//! [`Draws`]: the seeded samples of every random source of an uncertainty section, and how each
//! module's lead scale, conversion, deal value and margin follow from them in every draw.
//!
//! Kept apart from any evaluation so that every use of one set of draws sees the same numbers:
//! the static and the over-time simulations, and a risk-aware optimizer that evaluates many
//! allocations on the same draws.

use std::collections::HashMap;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rayon::prelude::*;

use crate::Plan;
use crate::error::UncertaintyError;
use crate::model::parts::PartKind;
use crate::numerics::ranges;
use crate::uncertainty::distribution::Sampler;
use crate::uncertainty::progress::{Progress, advance};
use crate::uncertainty::section::{Uncertainty, kind_index};

/// No source: the field keeps the module's own value.
const NONE: u32 = u32::MAX;

/// Draws a sampling task takes at once. Any value gives the same numbers (each draw has its own
/// stream and its own place); this one keeps a task's buffer in cache.
const BLOCK: usize = 256;

/// Where one module's uncertain numbers come from.
#[derive(Debug, Clone, Copy)]
struct Links {
    /// Sources whose product is the lead scale: the module's own, or its parts'.
    scale: [u32; 4],
    /// How many of `scale` are used.
    scales: usize,
    /// Sources of conversion, deal value and margin (`NONE`: the module's own value).
    value: [u32; 3],
    /// The module's own conversion, deal value and margin.
    base: [f64; 3],
}

/// The samples of every random source (one entry's distribution for one field) in every draw,
/// and each module's links to them.
///
/// Draw `d` takes its numbers from its own ChaCha8 stream: the key is expanded from the seed
/// (`SeedableRng::seed_from_u64`), the stream number is `d`. Within a draw the sources are
/// sampled in the section's order (parts by kind, then modules; within an entry lead scale,
/// conversion, deal value, margin), so the numbers depend on the seed, the draw and the
/// section, never on the thread count.
#[derive(Debug, Clone)]
pub(crate) struct Draws {
    count: usize,
    /// Source-major: source `j`'s draws are `samples[j·count .. (j+1)·count]`.
    samples: Vec<f64>,
    links: Vec<Links>,
}

/// The sources of one entry, by field (`NONE` where it gives none).
type EntrySources = [u32; 4];

impl Draws {
    /// Samples `count` draws of the section for the plan's modules.
    ///
    /// # Errors
    /// As [`Uncertainty::check`]; [`UncertaintyError::Draws`] for a count outside
    /// `[1, MAX_DRAWS]`; [`UncertaintyError::TooLarge`] when draws × the larger of sources and
    /// modules exceeds [`ranges::MAX_DRAW_CELLS`].
    ///
    /// `progress`, when given, is told of the draws block by block as they are drawn (all at
    /// once when the section has no source); it changes no number.
    pub(crate) fn sample(
        u: &Uncertainty,
        plan: &Plan,
        count: usize,
        seed: u64,
        progress: Option<&dyn Progress>,
    ) -> Result<Draws, UncertaintyError> {
        u.check(plan)?;
        if !(1..=ranges::MAX_DRAWS).contains(&count) {
            return Err(UncertaintyError::Draws { found: count });
        }
        let mut samplers = Vec::new();
        let mut parts: [HashMap<&str, EntrySources>; 4] = Default::default();
        let mut modules: HashMap<&str, EntrySources> = HashMap::new();
        for kind in PartKind::ALL {
            for (key, entry) in u.parts(kind) {
                parts[kind_index(kind)].insert(key, sources_of(entry, &mut samplers));
            }
        }
        for (key, entry) in u.modules() {
            modules.insert(key, sources_of(entry, &mut samplers));
        }
        check_size(count, samplers.len().max(plan.module_count()))?;
        let links = plan
            .modules()
            .map(|m| {
                let own = modules.get(m.key()).copied().unwrap_or([NONE; 4]);
                let of_parts = PartKind::ALL.map(|kind| {
                    parts[kind_index(kind)].get(plan.part_key_of(kind, m.data)).copied().unwrap_or([NONE; 4])
                });
                let e = m.economics();
                link(own, &of_parts, [e.conversion, e.deal_value, e.margin])
            })
            .collect();
        Ok(Draws { count, samples: sample_all(&samplers, count, seed, progress), links })
    }

    /// Number of draws.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Number of modules.
    pub(crate) fn modules(&self) -> usize {
        self.links.len()
    }

    fn row(&self, source: u32, from: usize, len: usize) -> &[f64] {
        let at = source as usize * self.count + from;
        &self.samples[at..at + len]
    }

    /// Module `i`'s lead scale in draws `from .. from + out.len()` (1 without an entry).
    pub(crate) fn lead_scale_into(&self, i: usize, from: usize, out: &mut [f64]) {
        let l = &self.links[i];
        let len = out.len();
        match l.scale[..l.scales] {
            [] => out.fill(1.0),
            [first, ref rest @ ..] => {
                out.copy_from_slice(self.row(first, from, len));
                for &j in rest {
                    for (o, x) in out.iter_mut().zip(self.row(j, from, len)) {
                        *o *= x;
                    }
                }
            }
        }
    }

    /// Module `i`'s conversion (`field` 0), deal value (1) or margin (2) in draws
    /// `from .. from + out.len()`.
    pub(crate) fn value_into(&self, i: usize, field: usize, from: usize, out: &mut [f64]) {
        let l = &self.links[i];
        match l.value[field] {
            NONE => out.fill(l.base[field]),
            j => out.copy_from_slice(self.row(j, from, out.len())),
        }
    }

    /// Module `i`'s value per lead `c·p·m` in draws `from .. from + out.len()`, using `scratch`
    /// (as long as `out`). What a risk-aware allocation needs besides the lead scale.
    pub(crate) fn value_per_lead_into(&self, i: usize, from: usize, out: &mut [f64], scratch: &mut [f64]) {
        self.value_into(i, 0, from, out);
        for field in 1..3 {
            self.value_into(i, field, from, scratch);
            for (o, x) in out.iter_mut().zip(scratch.iter()) {
                *o *= x;
            }
        }
    }
}

/// Registers an entry's distributions as sources, in field order.
fn sources_of(entry: &crate::uncertainty::Entry, samplers: &mut Vec<Sampler>) -> EntrySources {
    entry.fields().map(|(_, d)| match d {
        Some(d) => {
            samplers.push(d.sampler());
            // At most MAX_DRAW_CELLS sources pass `check_size`, far below u32::MAX; a larger
            // section fails there before any index is used.
            u32::try_from(samplers.len() - 1).unwrap_or(NONE)
        }
        None => NONE,
    })
}

fn check_size(count: usize, width: usize) -> Result<(), UncertaintyError> {
    let cells = count as u128 * width as u128;
    if cells > ranges::MAX_DRAW_CELLS as u128 {
        return Err(UncertaintyError::TooLarge { draws: count, width, cells, max: ranges::MAX_DRAW_CELLS });
    }
    Ok(())
}

/// A module's links: its own entry wins field by field; otherwise the lead scale is the product
/// of its parts' and each value the first part's (segment, proposition, offer, channel).
fn link(own: EntrySources, parts: &[EntrySources; 4], base: [f64; 3]) -> Links {
    let mut scale = [NONE; 4];
    let mut scales = 0;
    if own[0] != NONE {
        scale[0] = own[0];
        scales = 1;
    } else {
        for p in parts.iter().filter(|p| p[0] != NONE) {
            scale[scales] = p[0];
            scales += 1;
        }
    }
    let value = [1, 2, 3].map(|f| {
        if own[f] != NONE { own[f] } else { parts.iter().map(|p| p[f]).find(|&j| j != NONE).unwrap_or(NONE) }
    });
    Links { scale, scales, value, base }
}

/// Every source's samples, source-major, drawn block by block in parallel: each block's task
/// writes its draws straight into every source's row, then tells `progress` of them.
fn sample_all(samplers: &[Sampler], count: usize, seed: u64, progress: Option<&dyn Progress>) -> Vec<f64> {
    let mut samples = vec![0.0; samplers.len() * count];
    if samplers.is_empty() {
        advance(progress, count);
        return samples;
    }
    // pieces[b][j]: source j's draws of block b.
    let mut pieces: Vec<Vec<&mut [f64]>> = (0..count.div_ceil(BLOCK)).map(|_| Vec::new()).collect();
    for row in samples.chunks_mut(count) {
        for (b, piece) in row.chunks_mut(BLOCK).enumerate() {
            pieces[b].push(piece);
        }
    }
    let base = ChaCha8Rng::seed_from_u64(seed);
    pieces.into_par_iter().enumerate().for_each(|(b, mut rows)| {
        for k in 0..rows.first().map_or(0, |r| r.len()) {
            let mut rng = base.clone();
            rng.set_stream((b * BLOCK + k) as u64);
            for (row, s) in rows.iter_mut().zip(samplers) {
                row[k] = s.sample(&mut rng);
            }
        }
        advance(progress, rows.first().map_or(0, |r| r.len()));
    });
    samples
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uncertainty::{Distribution, Entry};

    #[test]
    fn modules_read_their_sources_by_the_sharing_rule() {
        let plan = crate::sample::apartments().expect("sample");
        let ln = |m, s| Distribution::log_normal(m, s).expect("valid");
        let u = Uncertainty::new()
            .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(1.0, 0.3)))
            .with_part(PartKind::Segment, "families", Entry::new().with_lead_scale(ln(1.0, 0.2)))
            .with_part(PartKind::Offer, "2-room", Entry::new().with_deal_value(ln(90_000.0, 0.1)));
        let draws = Draws::sample(&u, &plan, 300, 9, None).expect("valid");
        let (families, deal_value, search) =
            (&draws.samples[..300], &draws.samples[300..600], &draws.samples[600..]);
        // Sources in the section's order: segments, then offers, then channels.
        let mut out = vec![0.0; 300];
        let mut scratch = vec![0.0; 300];
        // families/playground/2-room/search: families' scale × search's scale, the offer's deal value.
        draws.lead_scale_into(0, 0, &mut out);
        for d in 0..300 {
            assert_eq!(out[d].to_bits(), (families[d] * search[d]).to_bits());
        }
        draws.value_per_lead_into(0, 0, &mut out, &mut scratch);
        let e = plan.module("families/playground/2-room/search").expect("a module").economics().clone();
        for d in 0..300 {
            assert_eq!(out[d].to_bits(), (e.conversion * deal_value[d] * e.margin).to_bits());
        }
        // investors/yield/1-room/outdoor: nothing uncertain.
        draws.lead_scale_into(3, 100, &mut out[..50]);
        assert!(out[..50].iter().all(|&x| x.to_bits() == 1f64.to_bits()));
        // A range of draws reads the same numbers as the whole run.
        draws.lead_scale_into(0, 100, &mut out[..50]);
        assert_eq!(out[0].to_bits(), (families[100] * search[100]).to_bits());
    }
}
