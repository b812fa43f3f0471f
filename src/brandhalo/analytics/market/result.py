"""The typed wrapper every market output carries: metric, version, basis and notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import pandas as pd

#: Bumped when a definition changes (docs/metrics-market.md lists what each version means).
METRIC_VERSIONS = {
    "band_share": "1.0",
    "premium_mix": "1.0",
    "target_pacing": "1.0",
    "concentration": "1.2",
    "financial_lines": "1.0",
    "business_momentum": "1.0",
}
BASIS_MARKET = "market table"
BASIS_BRANDS = "sum over brands in sales (no market table)"
BASIS_TOTALS = "totals rows in sales (no market table)"
BASIS_SALES = "sales table"
BASIS_FINANCIALS = "financials table"


class MarketResult(BaseModel):
    """One market metric: its rows plus the version, the denominators' basis and notes."""

    model_config = ConfigDict(frozen=True)

    metric: str
    metric_version: str
    basis: str
    notes: list[str] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)
    rows: list[dict[str, Any]] = Field(default_factory=list)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> MarketResult:
        """Wrap a frame returned by a market function (its ``attrs`` carry the metadata)."""
        a = frame.attrs
        return cls(
            metric=a["metric"],
            metric_version=a["metric_version"],
            basis=a["basis"],
            notes=list(a.get("notes", [])),
            params={k: _plain(v) for k, v in a.get("params", {}).items()},
            rows=records(frame),
        )


def _plain(v: Any) -> Any:
    """A JSON-ready scalar: NaN/NaT -> None, dates -> ISO text, numpy -> Python."""
    import datetime as dt
    import math

    if v is None or v.__class__.__name__ in ("NaTType", "NAType"):  # NaT is a datetime too
        return None
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if hasattr(v, "to_pydatetime"):
        return _plain(v.to_pydatetime())
    return v


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as JSON-ready dicts."""
    cols = list(frame.columns)
    return [
        {c: _plain(v) for c, v in zip(cols, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def finish(
    frame: pd.DataFrame,
    metric: str,
    basis: str | None,
    notes: list[str],
    params: dict[str, Any],
) -> pd.DataFrame:
    """Stamp a result frame with metric, version, basis, notes and params (``frame.attrs``).

    When `basis` is None the frame's own ``basis`` column decides (its distinct values).
    """
    frame = frame.reset_index(drop=True)
    for col in frame.columns:
        if frame[col].dtype.kind == "f":
            frame[col] = tidy(frame[col].to_numpy())
    if basis is None:
        used = sorted(set(frame["basis"].dropna())) if "basis" in frame else []
        basis = "; ".join(used) if used else BASIS_SALES
    frame.attrs = {
        "metric": metric,
        "metric_version": METRIC_VERSIONS[metric],
        "basis": basis,
        "notes": list(dict.fromkeys(notes)),
        "params": params,
    }
    return frame


def tidy(values: Any, digits: int = 12) -> Any:
    """Round to `digits` significant digits: day-level spreading leaves float dust
    (18.1e9 / 90 x 90 = 18099999999.999996) that should not reach users."""
    import numpy as np

    x = np.asarray(values, dtype=float).copy()
    ok = np.isfinite(x) & (x != 0)
    mag = np.floor(np.log10(np.abs(x[ok])))
    scale = 10.0 ** (digits - 1 - mag)
    x[ok] = np.round(x[ok] * scale) / scale
    return x
