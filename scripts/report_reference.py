"""Reference values for the report's statistics (used in src/report/mod.rs tests).

python3 scripts/report_reference.py  (scipy 1.17.1)
"""
from scipy.stats import binomtest, chi2_contingency

for x, n in [(12, 50), (0, 10)]:
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    print(f"wilson({x}, {n}) = ({ci.low!r}, {ci.high!r})")
res = chi2_contingency([[10, 20], [30, 15]], correction=False)
print(f"chi2([[10,20],[30,15]]) = statistic {res.statistic!r}, p {res.pvalue!r}, dof {res.dof}")
res = chi2_contingency([[60, 26], [11, 19], [54, 62], [8, 27], [27, 27]], correction=False)
print(f"chi2(5x2) = statistic {res.statistic!r}, p {res.pvalue!r}, dof {res.dof}")
# Clustered interval (src/report/mod.rs clustered_interval): documents 2/10, 3/10, 4/10, 1/10.
import math
from scipy.stats import t
x, n = [2, 3, 4, 1], [10, 10, 10, 10]
p = sum(x) / sum(n)
se = math.sqrt(len(x) / (len(x) - 1) * sum((xi - p * ni) ** 2 for xi, ni in zip(x, n))) / sum(n)
q = t.ppf(0.975, len(x) - 1)
print(f"clustered = ({p - q * se!r}, {p + q * se!r}), t = {q!r}")
