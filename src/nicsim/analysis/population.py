"""Virtual populations: persons sampled from trait distributions and parameter distributions.

A :class:`PopulationSpec` (pydantic, YAML-friendly, unknown keys are errors) describes who is in
the population:

* **traits** of :class:`~nicsim.protocols.Person`, every trait of the trait table
  (:data:`nicsim.protocols.traits.TRAITS`; the fields of :class:`PopulationSpec` are generated
  from it): a number trait is a fixed value or a distribution, a choice trait a choice or
  ``{<second choice>: probability}``, a flag true, false or ``{probability: p}``::

      sex: {male: 0.5}                                  # probability of male
      age: {normal: {mean: 40, sd: 12, min: 18, max: 80}}
      susceptibility:
        eczema: {lognormal: {median: 1, cv: 0.5}}
      lesion_visibility: {beta: {a: 2, b: 3}}
      social_support: {uniform: {min: 0.2, max: 0.9}}
      hsv1_seropositive: {probability: 0.6}

  Distributions are truncated to the trait's allowed range (age 18-100, multipliers 0.2-5, ...)
  and to their own ``min``/``max``. Traits become parameter values only through
  :func:`nicsim.protocols.traits.person_overrides`.
* **parameters**: every model parameter with a declared between-person distribution
  (``Parameter.distribution``: log-normal with a ``cv``, or beta for a fraction) is drawn
  around the person's value as in :func:`nicsim.solve.simulate.sample_parameters`
  (mean-preserving: value * exp(sigma z - sigma^2 / 2), or a beta with that mean).
  ``parameters: {id: number}`` sets the typical value (the declared spread still
  applies); ``parameters: {id: {lognormal: {...}}}`` replaces the declared distribution (values in
  the parameter's declared unit). A trait given as a *distribution* replaces the declared
  distribution of the parameters it maps to (the trait is then the between-person spread);
  ``vary_parameters: false`` switches the declared distributions off.
* **correlations** between named sampled quantities (trait names such as ``age`` or
  ``susceptibility.eczema``, or parameter ids) through a Gaussian copula: every sampled quantity
  has a standard-normal score; the scores are correlated with the Cholesky factor of the
  correlation matrix (``rho`` is the correlation of the normal scores); each marginal is then
  obtained by its quantile function, so marginals are exactly as declared. Every correlation
  must name its ``source``: no correlation is assumed without one. None is sourced in the
  default model yet; the mechanism is there for when one is.

Sampling is reproducible from one ``rng`` (int seed or ``numpy.random.Generator``): every sampled
quantity draws from its own stream derived from the seed and the quantity's name, so adding a
model parameter or a trait does not change the draws of the others, and the first ``n``
persons of a larger population are the persons of the smaller one.

The result of :func:`sample_population` is an ``xarray.Dataset`` with dimension ``subject``:
one variable per trait and ``parameters`` (subject, parameter) holding each person's canonical
parameter vector (the vector the solver integrates with). :func:`summarize` gives means, SDs
and percentiles of any such dataset.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import xarray as xr
from pydantic import BeforeValidator, Field, create_model, model_validator
from scipy import special, stats

from nicsim._default import default_model
from nicsim._version import __version__
from nicsim.core.compiled import canonical_units_of
from nicsim.core.domains import check_parameter
from nicsim.core.model import MAX_CV
from nicsim.core.rng import root_entropy, stream  # noqa: F401  (re-exported)
from nicsim.core.units import to_canonical
from nicsim.errors import ScenarioError
from nicsim.parameter_sets import parameter_set_values
from nicsim.protocols.scenario import FileModel
from nicsim.protocols.spec import StrictModel
from nicsim.protocols.traits import (
    TRAIT_TABLE,
    ChoiceTrait,
    FlagTrait,
    NumberTrait,
    SleepSchedule,
    SleepTrait,
    TraitTable,
    person_value,
)

# ============================================================================ traits
# Which traits a population can give, their ranges, units and kinds come from the trait table
# (:mod:`nicsim.protocols.traits`); the population model is generated from it
# (:func:`population_spec_model`).

def _isfinite(v: int | float) -> bool:
    try:
        return math.isfinite(float(v))
    except OverflowError:  # an integer too large for a float
        return False


def _finite(v: Any, what: str = "a number") -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not _isfinite(v):
        raise ScenarioError("", v, f"expected {what}")
    return float(v)


def _num(lo: float | None = None, *, lo_open: bool = False):
    text = "a finite number" if lo is None else \
        f"a number {'greater than' if lo_open else 'of at least'} {lo:g}"

    def check(v: Any) -> float:
        x = _finite(v, text)
        if lo is not None and (x < lo or (lo_open and x <= lo)):
            raise ScenarioError("", v, f"expected {text}")
        return x

    return Annotated[float, BeforeValidator(check)]


class _Bounded(StrictModel):
    min: _num() | None = Field(default=None, description="lower truncation bound")  # type: ignore[valid-type]
    max: _num() | None = Field(default=None, description="upper truncation bound")  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self):
        if self.min is not None and self.max is not None and self.max <= self.min:
            raise ScenarioError("max", self.max, f"expected a number greater than min "
                                f"({self.min:g})")
        return self


class NormalDist(_Bounded):
    """Normal distribution ``{mean, sd}``, optionally truncated to ``[min, max]``."""

    mean: _num() = Field(description="mean")  # type: ignore[valid-type]
    sd: _num(0.0, lo_open=True) = Field(description="standard deviation, > 0")  # type: ignore[valid-type]

    def frozen(self):
        return stats.norm(self.mean, self.sd)


class LogNormalDist(_Bounded):
    """Log-normal distribution ``{median, cv}`` or ``{mean, cv}`` (cv = SD / mean)."""

    median: _num(0.0, lo_open=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="median, > 0 (give median or mean)")
    mean: _num(0.0, lo_open=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="mean, > 0 (give median or mean)")
    cv: _num(0.0, lo_open=True) = Field(  # type: ignore[valid-type]
        description=f"coefficient of variation, > 0 and <= {MAX_CV:g}")

    @model_validator(mode="after")
    def _one_centre(self):
        if (self.median is None) == (self.mean is None):
            raise ScenarioError("median", self.median, "give exactly one of median or mean")
        if self.cv > MAX_CV:
            raise ScenarioError("cv", self.cv, f"expected a coefficient of variation > 0 and "
                                f"<= {MAX_CV:g}: cv {MAX_CV:g} already spans x/÷ 12 (95 %) "
                                "around the median, wider than any between-person spread of a "
                                "physiological parameter")
        return self

    @property
    def sigma(self) -> float:
        return math.sqrt(math.log1p(self.cv**2))

    def frozen(self):
        med = self.median if self.median is not None else self.mean * math.exp(-self.sigma**2 / 2)
        return stats.lognorm(s=self.sigma, scale=med)


class UniformDist(StrictModel):
    """Uniform distribution on ``[min, max]``."""

    min: _num() = Field(description="lower end")  # type: ignore[valid-type]
    max: _num() = Field(description="upper end, > min")  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self):
        if self.max <= self.min:
            raise ScenarioError("max", self.max, f"expected a number greater than min "
                                f"({self.min:g})")
        return self

    def frozen(self):
        return stats.uniform(self.min, self.max - self.min)


class BetaDist(StrictModel):
    """Beta distribution with shapes ``a``, ``b`` on ``[min, max]`` (default 0 to 1)."""

    a: _num(0.0, lo_open=True) = Field(description="shape a, > 0")  # type: ignore[valid-type]
    b: _num(0.0, lo_open=True) = Field(description="shape b, > 0")  # type: ignore[valid-type]
    min: _num() = Field(default=0.0, description="lower end; default 0")  # type: ignore[valid-type]
    max: _num() = Field(default=1.0, description="upper end; default 1")  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self):
        if self.max <= self.min:
            raise ScenarioError("max", self.max, f"expected a number greater than min "
                                f"({self.min:g})")
        return self

    def frozen(self):
        return stats.beta(self.a, self.b, loc=self.min, scale=self.max - self.min)


DIST_KINDS = ("normal", "lognormal", "uniform", "beta")


class Distribution(StrictModel):
    """One of ``{normal: ...}``, ``{lognormal: ...}``, ``{uniform: ...}``, ``{beta: ...}``."""

    normal: NormalDist | None = Field(default=None, description="{mean, sd, min?, max?}")
    lognormal: LogNormalDist | None = Field(
        default=None, description="{median or mean, cv, min?, max?}")
    uniform: UniformDist | None = Field(default=None, description="{min, max}")
    beta: BetaDist | None = Field(default=None, description="{a, b, min?, max?}")

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in DIST_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ScenarioError("", {k: "..." for k in given},
                                f"give exactly one distribution: {', '.join(DIST_KINDS)}")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in DIST_KINDS if getattr(self, k) is not None)

    @property
    def body(self):
        return getattr(self, self.kind)

    def bounds(self) -> tuple[float, float]:
        b = self.body
        lo = getattr(b, "min", None)
        hi = getattr(b, "max", None)
        return (-math.inf if lo is None else lo, math.inf if hi is None else hi)

    def ppf(self, u: np.ndarray, lo: float = -math.inf, hi: float = math.inf,
            *, field: str = "") -> np.ndarray:
        """Quantiles at ``u`` (0 < u < 1) of the distribution truncated to its own bounds and
        to ``[lo, hi]``."""
        d = self.body.frozen()
        blo, bhi = self.bounds()
        lo, hi = max(lo, blo), min(hi, bhi)
        flo = float(d.cdf(lo)) if math.isfinite(lo) else 0.0
        fhi = float(d.cdf(hi)) if math.isfinite(hi) else 1.0
        if not fhi - flo > 1e-12:
            raise ScenarioError(field, self.model_dump(exclude_none=True),
                                f"the distribution has (almost) no mass between {lo:g} and "
                                f"{hi:g}, the allowed range; move it into that range")
        x = d.ppf(flo + np.asarray(u, float) * (fhi - flo))
        return np.clip(x, lo, hi)


def _dist_or_number(v: Any) -> Any:
    if isinstance(v, (Distribution, float)):
        return v
    if isinstance(v, dict):
        if len(v) != 1:
            raise ScenarioError("", v, "give exactly one distribution {kind: {...}}, kind one "
                                f"of {', '.join(DIST_KINDS)}")
        return Distribution.model_validate(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not _isfinite(v):
        raise ScenarioError("", v, "expected a number (fixed value) or a distribution "
                            f"{{kind: {{...}}}} with kind one of {', '.join(DIST_KINDS)}")
    return float(v)


#: A fixed number or a :class:`Distribution`.
TraitValue = Annotated[float | Distribution, BeforeValidator(_dist_or_number)]


class ProbabilitySpec(StrictModel):
    """``{probability: p}``: true with probability p (0 to 1)."""

    probability: _num(0.0) = Field(description="0 to 1")  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _prob(self):
        if self.probability > 1:
            raise ScenarioError("probability", self.probability,
                                "expected a probability from 0 to 1")
        return self


def _flag(v: Any) -> Any:
    if v is None or isinstance(v, (bool, ProbabilitySpec)):
        return v
    if isinstance(v, dict):
        return ProbabilitySpec.model_validate(v)
    raise ScenarioError("", v, "expected true, false or {probability: p}")


class _ChoiceProbability(StrictModel):
    """``{<second choice>: p}``: each person has the trait's second choice with probability p."""

    @model_validator(mode="after")
    def _prob(self):
        for key, p in self:
            if p > 1:
                raise ScenarioError(key, p, "expected a probability from 0 to 1")
        return self

    @property
    def probability(self) -> float:
        return next(iter(dict(self).values()))


def _choice_spec(t: ChoiceTrait) -> tuple[Any, Any]:
    """The population field of a choice trait: a choice or ``{<indicator>: probability}``."""
    prob = create_model(
        f"{t.name.title().replace('_', '')}Spec", __base__=_ChoiceProbability,
        __module__=__name__,
        __doc__=f"``{{{t.indicator}: p}}``: each person is {t.indicator} with probability p.",
        **{t.indicator: (_num(0.0), Field(description=f"probability of {t.indicator}, 0 to 1"))})
    text = f"expected {', '.join(repr(c) for c in t.choices)} or {{{t.indicator}: probability}}"

    def parse(v: Any) -> Any:
        if v is None or isinstance(v, prob):
            return v
        if isinstance(v, str) and v.strip() in t.choices:
            return v.strip()
        if isinstance(v, dict):
            return prob.model_validate(v)
        raise ScenarioError("", v, text)

    return (Annotated[Literal[t.choices] | prob | None,  # type: ignore[valid-type]
                      BeforeValidator(parse)],
            Field(default=None, description=f"{' | '.join(t.choices)} or {{{t.indicator}: "
                  f"probability}}; default {t.default}"))


def _number_spec(t: NumberTrait) -> tuple[Any, Any]:
    u = "" if t.unit == "1" else f"{t.unit}, "
    return (TraitValue | None, Field(default=None, description=f"{u}{t.lo:g} to {t.hi:g}"))


def _population_fields(table: TraitTable) -> dict[str, tuple[Any, Any]]:
    """The trait fields of the population model, in table order."""
    out: dict[str, tuple[Any, Any]] = {}
    for t in table.traits:
        if isinstance(t, NumberTrait):
            out[t.key] = _number_spec(t)
        elif isinstance(t, ChoiceTrait):
            out[t.key] = _choice_spec(t)
        elif isinstance(t, FlagTrait):
            out[t.key] = (Annotated[bool | ProbabilitySpec | None, BeforeValidator(_flag)],
                          Field(default=None, description="true/false or {probability: p}"))
        elif isinstance(t, SleepTrait):
            out[t.key] = (SleepSchedule, Field(
                default_factory=SleepSchedule,
                description="habitual {bedtime, wake}, the same for everyone"))
        else:
            group = create_model(
                f"{t.model_name}Spec", __base__=StrictModel, __module__=__name__,
                __doc__=f"{t.model_name} of each member, fixed or distributed.",
                **{m.key: _number_spec(m) for m in t.members})
            out[t.key] = (group | None, Field(
                default=None, description="{" + ", ".join(m.key for m in t.members) + "}"))
    return out


class Correlation(StrictModel):
    """Correlation of the normal scores of two sampled quantities (Gaussian copula)."""

    between: list[str] = Field(description="two names: traits (age, susceptibility.eczema) or "
                               "parameter ids")
    rho: _num() = Field(description="-1 < rho < 1")  # type: ignore[valid-type]
    source: str = Field(description="citation or reason; required: no correlation without a "
                        "source")

    @model_validator(mode="after")
    def _check(self):
        if len(self.between) != 2 or self.between[0] == self.between[1]:
            raise ScenarioError("between", self.between, "expected two different names")
        if not -1 < self.rho < 1:
            raise ScenarioError("rho", self.rho, "expected a number greater than -1 and less "
                                "than 1")
        if not self.source.strip():
            raise ScenarioError("source", self.source, "name the source of the correlation "
                                "(a reference); correlations are not assumed without one")
        return self


class _PopulationSpecBase(FileModel):
    """Who is in a virtual population (see the module docstring for the file format); the
    trait fields are generated from a trait table (:func:`population_spec_model`)."""

    document: ClassVar[str] = "population"
    #: the trait table the model was generated from (set on each generated model)
    table: ClassVar[TraitTable]

    @model_validator(mode="after")
    def _ranges(self):
        for t in self.table.scalar:
            if not isinstance(t, NumberTrait):
                continue
            name, lo, hi = t.name, t.lo, t.hi
            v = self.trait(name)
            u = "" if t.unit == "1" else f" {t.unit}"
            if isinstance(v, float) and not lo <= v <= hi:
                raise ScenarioError(name, v, f"expected a number from {lo:g} to {hi:g}{u}")
            if isinstance(v, Distribution):
                blo, bhi = v.bounds()
                for which, b in (("min", blo), ("max", bhi)):
                    if math.isfinite(b) and not lo <= b <= hi:
                        raise ScenarioError(f"{name}.{v.kind}.{which}", b,
                                            f"expected a number from {lo:g} to {hi:g}{u} (the "
                                            "trait's allowed range)")
        return self

    # ------------------------------------------------------------------ access
    def trait(self, name: str) -> Any:
        """The spec of a trait by name ('age', 'susceptibility.eczema'); None when not given."""
        obj = self
        for part in name.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    def sampled_traits(self) -> list[str]:
        """Traits given as a distribution (or a probability), in sampling order."""
        out = []
        for t in self.table.scalar:
            v = self.trait(t.name)
            if isinstance(v, (Distribution, _ChoiceProbability, ProbabilitySpec)):
                out.append(t.name)
        return out


@cache
def population_spec_model(table: TraitTable) -> type[_PopulationSpecBase]:
    """The population model of a trait table: one field per trait (a value or how it is
    distributed, by the trait's kind), then ``parameters``, ``vary_parameters`` and
    ``correlations``."""
    model = create_model(
        "PopulationSpec", __base__=_PopulationSpecBase, __module__=__name__,
        __doc__="Who is in a virtual population (see :mod:`nicsim.analysis.population` for the "
                "file format); trait fields generated from the trait table.",
        **_population_fields(table),
        parameters=(dict[str, TraitValue], Field(
            default_factory=dict, description="{parameter id: typical value or distribution} "
            "in the parameter's declared unit")),
        vary_parameters=(bool, Field(default=True, description="draw the parameters' declared "
                                     "between-person distributions; default true")),
        correlations=(list[Correlation], Field(default_factory=list,
                                               description="Gaussian-copula correlations")))
    model.table = table
    return model


#: The population model of the package's trait table.
PopulationSpec = population_spec_model(TRAIT_TABLE)


# ============================================================================ sampling
def _affine_to_canonical(unit: str) -> tuple[float, float]:
    """(a, b) with canonical = a * declared + b (exact for pint's linear and offset units)."""

    b = to_canonical(0.0, unit)[0]
    a = to_canonical(1.0, unit)[0] - b
    return a, b


def trait_parameters(model, start_clock_h: float = 7.0,
                     table: TraitTable = TRAIT_TABLE) -> dict[str, set[str]]:
    """trait name -> parameter ids of ``model`` it sets (read off the table's person overrides
    by changing one trait at a time)."""
    ids = set(model.parameter_ids)
    base = table.person()
    ref = table.person_overrides(base, start_clock_h)
    out: dict[str, set[str]] = {}
    for t in table.scalar:
        cur = person_value(base, t.name)
        if isinstance(t, ChoiceTrait):
            alt: Any = t.choices[1] if cur != t.choices[1] else t.choices[0]
        elif isinstance(t, FlagTrait):
            alt = not cur
        else:
            alt = t.lo + 0.37 * (t.hi - t.lo) if cur != t.lo + 0.37 * (t.hi - t.lo) else t.lo
        other = table.person_overrides(table.with_trait(base, t.name, alt), start_clock_h)
        out[t.name] = {k for k in set(ref) | set(other)
                       if k in ids and ref.get(k) != other.get(k)}
    return out


def _norm_cdf(z: np.ndarray) -> np.ndarray:
    # strictly inside (0, 1): quantile functions stay finite
    return np.clip(special.ndtr(z), 1e-15, 1 - 1e-15)


def _correlate(Z: np.ndarray, names: Sequence[str], spec: PopulationSpec,
               prefix: str) -> np.ndarray:
    if not spec.correlations:
        return Z
    index = {n: k for k, n in enumerate(names)}
    R = np.eye(len(names))
    for i, c in enumerate(spec.correlations):
        for j, n in enumerate(c.between):
            if n not in index:
                raise ScenarioError(
                    f"{prefix}correlations[{i}].between[{j}]", n,
                    "expected a sampled quantity: a trait given as a distribution or a "
                    "probability, or a parameter id drawn from a distribution; sampled here: "
                    + (", ".join(names[:12]) + (" ..." if len(names) > 12 else "")))
        a, b = index[c.between[0]], index[c.between[1]]
        if R[a, b] != 0:
            raise ScenarioError(f"{prefix}correlations[{i}].between", c.between,
                                "this pair is correlated twice; give each pair once")
        R[a, b] = R[b, a] = c.rho
    try:
        L = np.linalg.cholesky(R)
    except np.linalg.LinAlgError:
        raise ScenarioError(f"{prefix}correlations", [c.rho for c in spec.correlations],
                            "these correlations are impossible together (the correlation "
                            "matrix is not positive definite); weaken some of them") from None
    return Z @ L.T


def sample_population(spec: PopulationSpec | Mapping[str, Any], n: int,
                      rng: np.random.Generator | int | None = 0, *, model=None,
                      start_clock_h: float = 7.0, parameter_set: str = "default",
                      field_prefix: str = "") -> xr.Dataset:
    """``n`` virtual persons: sampled traits + parameter draws -> canonical parameter vectors.

    Returns a Dataset with dimension ``subject``: one variable per trait (``sex`` as text and
    ``male`` 0/1; ``susceptibility_<condition>``; ``hsv1_seropositive`` 0/1) and
    ``parameters`` (subject, parameter) in canonical units (coordinate ``parameter_unit``;
    ``parameter_varies`` marks the parameters that differ between persons). ``start_clock_h``
    is the scenario start (it enters one parameter, the clock phase). ``field_prefix`` is
    prepended to the field names in errors (e.g. ``population.``).
    """

    if not isinstance(spec, _PopulationSpecBase):
        spec = PopulationSpec.from_dict(dict(spec))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ScenarioError(f"{field_prefix}n" if field_prefix else "n", n,
                            "expected a whole number of persons >= 1")
    n = int(n)
    model = model or default_model()
    entropy = root_entropy(rng)
    ids = model.parameter_ids
    index = {p: j for j, p in enumerate(ids)}
    pre = field_prefix

    # ---- which quantities are sampled, in a fixed order
    for pid, v in spec.parameters.items():
        if pid not in index:
            raise ScenarioError(f"{pre}parameters.{pid}", pid, "expected a parameter id of the "
                                "model; see `nicsim params`")
        prm = model.parameters[index[pid]]
        if isinstance(v, Distribution):
            for which, b in zip(("min", "max"), v.bounds(), strict=True):
                if math.isfinite(b):
                    check_parameter(prm, b, f"{pre}parameters.{pid}.{v.kind}.{which}")
        else:
            check_parameter(prm, v, f"{pre}parameters.{pid}")
    table = spec.table
    traits = spec.sampled_traits()
    by_trait = trait_parameters(model, start_clock_h, table)
    replaced = {pid for t in traits if isinstance(table.by_name[t], NumberTrait)
                for pid in by_trait.get(t, ())}
    spec_dists = [pid for pid, v in spec.parameters.items() if isinstance(v, Distribution)]
    declared = []
    if spec.vary_parameters:
        declared = [p.id for p in model.parameters if p.distribution is not None
                    and p.id not in replaced and p.id not in spec_dists]
    names = traits + spec_dists + declared
    Z = np.empty((n, len(names)))
    for k, name in enumerate(names):
        Z[:, k] = stream(entropy, name).standard_normal(n)
    Z = _correlate(Z, names, spec, pre)
    col = {name: k for k, name in enumerate(names)}

    # ---- traits (choices as 0/1 indicators of their second choice, flags as 0/1)
    values: dict[str, np.ndarray] = {}
    default = table.person()
    for t in table.scalar:
        v = spec.trait(t.name)
        u = _norm_cdf(Z[:, col[t.name]]) if t.name in col else None
        if isinstance(t, NumberTrait):
            if isinstance(v, Distribution):
                values[t.name] = v.ppf(u, t.lo, t.hi, field=f"{pre}{t.name}.{v.kind}")
            elif isinstance(v, float):
                values[t.name] = np.full(n, v)
            else:
                values[t.name] = np.full(n, float(person_value(default, t.name)))
        elif isinstance(v, (_ChoiceProbability, ProbabilitySpec)):
            values[t.name] = u < v.probability
        elif isinstance(t, ChoiceTrait):
            values[t.name] = np.full(n, (v if v is not None else t.default) == t.indicator)
        else:
            values[t.name] = np.full(n, bool(v) if v is not None else t.default)

    # ---- parameters: set < traits < spec values, then the spreads
    base_values = dict(parameter_set_values(parameter_set))
    P = np.repeat(model.parameter_vector(
        {k: v for k, v in base_values.items() if k in index})[None, :], n, axis=0)
    sleep = spec.sleep.model_dump(mode="json")
    trait_cols: dict[str, np.ndarray] = {}
    for i in range(n):
        person = table.person_from({t.name: _trait_value(t, values[t.name][i])
                                    for t in table.scalar}, sleep)
        for pid, v in table.person_overrides(person, start_clock_h).items():
            if pid in index:
                trait_cols.setdefault(pid, np.empty(n))[i] = v
    conv = {pid: _affine_to_canonical(model.parameters[index[pid]].unit)
            for pid in set(trait_cols) | set(spec.parameters)}
    for pid, col_values in trait_cols.items():
        a, b = conv[pid]
        P[:, index[pid]] = a * col_values + b
    for pid, v in spec.parameters.items():
        if isinstance(v, float):
            a, b = conv[pid]
            P[:, index[pid]] = a * v + b
    for pid in declared:
        j = index[pid]
        prm = model.parameters[j]
        # declared spreads (cv <= 2) reach a domain edge only in the far tails: clip there
        P[:, j] = prm.canonical_domain.clip(prm.distribution.draw(P[:, j], Z[:, col[pid]]))
    for pid in spec_dists:
        j = index[pid]
        a, b = conv[pid]
        dom = model.parameters[j].domain
        # truncated to the parameter's domain (open ends just inside)
        lo, hi = (float(x) for x in dom.clip(np.array([dom.lower, dom.upper])))
        x = spec.parameters[pid].ppf(_norm_cdf(Z[:, col[pid]]), lo, hi,
                                     field=f"{pre}parameters.{pid}")
        P[:, j] = a * x + b
    model.check_parameter_matrix(P, f"{pre}parameters")

    # ---- dataset
    data: dict[str, Any] = {}
    for t in table.scalar:
        x = values[t.name]
        sampled = int(t.name in traits)
        if isinstance(t, ChoiceTrait):
            data[t.name] = ("subject", np.where(x, t.choices[1], t.choices[0]).astype(object),
                            {"long_name": t.name, "role": "trait", "sampled": sampled})
            data[t.indicator] = ("subject", x.astype(np.int8), {
                "long_name": f"1 = {t.choices[1]}, 0 = {t.choices[0]}", "units": "1",
                "role": "trait"})
        elif isinstance(t, FlagTrait):
            data[t.name] = ("subject", x.astype(np.int8), {
                "units": "1", "long_name": t.label, "role": "trait", "sampled": sampled})
        else:
            data[t.name.replace(".", "_")] = ("subject", x, {
                "units": t.unit, "long_name": f"trait {t.name}", "role": "trait",
                "sampled": sampled})
    varies = np.ptp(P, axis=0) > 0 if n > 1 else np.zeros(len(ids), bool)
    data["parameters"] = (("subject", "parameter"), P, {
        "long_name": "canonical parameter values (hours-based units)", "role": "parameters"})
    return xr.Dataset(data, coords={
        "subject": np.arange(n),
        "parameter": np.array(ids, dtype=object),
        "parameter_unit": ("parameter", np.array(canonical_units_of(model.parameters),
                                                 dtype=object)),
        "parameter_varies": ("parameter", varies.astype(np.int8)),
    }, attrs={
        "seed_entropy": str(entropy), "parameter_set": parameter_set,
        "model_key": model.key, "nicsim_version": __version__,
        "sampled": ", ".join(names), "start_clock_h": float(start_clock_h),
        "population_spec": spec.model_dump_json(exclude_none=True),
    })


def _trait_value(t: NumberTrait | ChoiceTrait | FlagTrait, x: Any) -> Any:
    """A person's trait value from its sampled array element (indicator, 0/1 or number)."""
    if isinstance(t, ChoiceTrait):
        return t.choices[1] if x else t.choices[0]
    if isinstance(t, FlagTrait):
        return bool(x)
    return x


def persons(ds: xr.Dataset, sleep: SleepSchedule | None = None,
            table: TraitTable = TRAIT_TABLE) -> list[Any]:
    """The person (of ``table``; :class:`~nicsim.protocols.Person` by default) of every subject
    of a sampled population."""
    sleep_d = (sleep or SleepSchedule()).model_dump(mode="json")
    cols = {t.name: ds[t.indicator if isinstance(t, ChoiceTrait) else t.name.replace(".", "_")]
            .values for t in table.scalar}
    return [table.person_from({t.name: _trait_value(t, cols[t.name][i].item())
                               for t in table.scalar}, sleep_d)
            for i in range(ds.sizes["subject"])]


# ============================================================================ summaries
def _stat_labels(percentiles: Iterable[float]) -> list[str]:
    return ["mean", "sd"] + [f"p{p:g}" for p in percentiles]


def summarize(ds: xr.Dataset | xr.DataArray, percentiles: Sequence[float] = (5, 25, 50, 75, 95),
              *, dim: str = "subject") -> xr.Dataset:
    """Mean, SD (ddof 1) and percentiles over ``dim`` of every numeric variable that has it.

    Returns a Dataset with a new leading dimension ``statistic`` (``mean``, ``sd``, ``p5``,
    ...); other dimensions (``time``, ``parameter``, ``arm``) are kept; attrs (units) are kept.
    NaN values (e.g. censored times) are ignored.
    """
    if isinstance(ds, xr.DataArray):
        ds = ds.to_dataset(name=ds.name or "value")
    pct = [float(p) for p in percentiles]
    for p in pct:
        if not 0 <= p <= 100:
            raise ScenarioError("percentiles", p, "expected percentiles from 0 to 100")
    labels = _stat_labels(pct)
    out = {}
    for name, v in ds.data_vars.items():
        if dim not in v.dims or not np.issubdtype(v.dtype, np.number):
            continue
        x = v.astype(float)
        parts = [x.mean(dim, skipna=True), x.std(dim, ddof=1, skipna=True)]
        q = x.quantile([p / 100 for p in pct], dim=dim, skipna=True).drop_vars("quantile")
        parts += [q.isel(quantile=k) for k in range(len(pct))]
        arr = xr.concat(parts, dim="statistic", coords="minimal", compat="override")
        arr.attrs = dict(v.attrs)
        out[name] = arr
    res = xr.Dataset(out)
    res = res.assign_coords(statistic=np.array(labels, dtype=object))
    res.attrs = {"summary_of": dim, "percentiles": ", ".join(f"{p:g}" for p in pct)}
    return res


__all__ = ["DIST_KINDS", "BetaDist", "Correlation", "Distribution", "LogNormalDist",
           "NormalDist", "PopulationSpec", "ProbabilitySpec", "UniformDist", "persons",
           "population_spec_model", "root_entropy", "sample_population", "stream", "summarize",
           "trait_parameters"]
