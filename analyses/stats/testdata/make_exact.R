# make_exact.R writes the reference fixture for the small-group statistics of
# package analyses/stats (issue 15): one-sided exact binomial bounds, the chance
# of zero events, exact Poisson rates, the Wilcoxon signed-rank test and the
# Jacobson–Truax reliable-change criterion.
#
# Run from the repository root (or from analyses/stats/testdata):
#
#     Rscript analyses/stats/testdata/make_exact.R
#
# Base R and the sandwich package (household-clustered mean); JSON by json.R. Writes analyses/stats/testdata/exact.json.

out <- if (dir.exists("analyses/stats/testdata")) "analyses/stats/testdata/exact.json" else "exact.json"
source(if (dir.exists("analyses/stats/testdata")) "analyses/stats/testdata/json.R" else "json.R")

## one-sided exact bounds: binom.test(alternative = "less" / "greater")
props <- list(c(0, 1), c(1, 1), c(0, 5), c(5, 5), c(1, 10), c(3, 10), c(7, 19),
              c(0, 19), c(19, 19), c(0, 15), c(15, 15), c(50, 200), c(0, 1000), c(1, 2))
bounds <- c()
for (p in props) for (cf in c(0.95, 0.90, 0.99)) {
  x <- as.integer(p[1]); n <- as.integer(p[2])
  up <- binom.test(x, n, alternative = "less", conf.level = cf)$conf.int[2]
  lo <- binom.test(x, n, alternative = "greater", conf.level = cf)$conf.int[1]
  bounds <- c(bounds, jobj(events = jnum(x), n = jnum(n), conf = jnum(cf), upper = jnum(up), lower = jnum(lo)))
}

## chance of zero events: dbinom(0, n, p)
zero <- c()
for (n in c(1L, 10L, 15L, 19L, 40L, 200L)) for (p in c(0, 0.05, 0.10, 0.20, 0.5, 1)) {
  zero <- c(zero, jobj(n = jnum(n), p = jnum(p), chance = jnum(dbinom(0, n, p))))
}

## exact Poisson rates: poisson.test(x, T)
pois <- list(c(0, 19.5), c(1, 2), c(3, 10.25), c(12, 40), c(0, 0.5), c(100, 731.6), c(7, 7))
poisson <- c()
for (q in pois) for (cf in c(0.95, 0.90)) {
  x <- as.integer(q[1]); t <- q[2]
  pt <- poisson.test(x, t, conf.level = cf)
  poisson <- c(poisson, jobj(events = jnum(x), exposure = jnum(t), conf = jnum(cf),
    rate = jnum(unname(pt$estimate)), ci = jarr(pt$conf.int)))
}

## Wilcoxon signed-rank: wilcox.test(x, y, paired = TRUE), defaults
set.seed(15)
wsets <- list(
  list(name = "exact, no ties", x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
       y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  list(name = "exact, one sided heavy", x = c(5.1, 6.2, 7.9, 8.4, 9.0, 10.7), y = c(1, 2, 3, 4, 5, 6)),
  list(name = "scores with ties and zeros", x = c(3, 4, 2, 5, 3, 3, 4, 2, 1, 4, 5, 3, 2, 4, 3),
       y = c(2, 2, 2, 3, 3, 1, 3, 3, 1, 2, 4, 4, 1, 2, 2)),
  list(name = "ties, no zeros", x = c(2, 4, 5, 3, 5, 1, 4), y = c(1, 2, 3, 2, 3, 2, 2)),
  list(name = "fifty-five pairs", x = round(rnorm(55, 0.3), 3), y = round(rnorm(55), 3)),
  list(name = "random scores 40", x = sample(1:5, 40, TRUE), y = sample(1:5, 40, TRUE)),
  list(name = "one pair", x = c(4), y = c(2))
)
wil <- c()
for (s in wsets) {
  d <- s$x - s$y
  wt <- suppressWarnings(wilcox.test(s$x, s$y, paired = TRUE))
  wil <- c(wil, jobj(name = jstr(s$name), x = jarr(s$x), y = jarr(s$y),
    v = jnum(unname(wt$statistic)), p = jnum(wt$p.value), n = jnum(sum(d != 0)), zeros = jnum(sum(d == 0))))
}

## Jacobson–Truax: Sdiff = sqrt(2) * SD1 * sqrt(1 - r), threshold qnorm(1 - a/2) * Sdiff
jt <- c()
for (sd in c(0.8, 1.0, 1.23)) for (r in c(0, 0.7, 0.85)) for (cf in c(0.95, 0.90)) {
  sdiff <- sqrt(2) * sd * sqrt(1 - r)
  jt <- c(jt, jobj(sd = jnum(sd), reliability = jnum(r), conf = jnum(cf), sdiff = jnum(sdiff),
    threshold = jnum(qnorm(1 - (1 - cf) / 2) * sdiff)))
}

## household-clustered mean: sandwich::vcovCL(lm(x ~ 1), cluster, type = "HC1"), t on G - 1 df
suppressPackageStartupMessages(library(sandwich))
csets <- list(
  list(name = "households of two", x = c(1, 2, 0, -1, 2, 1, 0, 3), g = c("a", "a", "b", "b", "c", "d", "d", "e")),
  list(name = "all singletons", x = c(1, 2, 0, -1, 2), g = c("a", "b", "c", "d", "e")),
  list(name = "one big household", x = c(1, 1, 2, 0, -1, 0, 1, 2, 2, 1), g = c("h", "h", "h", "h", "i", "j", "k", "l", "m", "n"))
)
clu <- c()
for (s in csets) {
  fit <- lm(s$x ~ 1)
  se <- sqrt(vcovCL(fit, cluster = s$g, type = "HC1")[1, 1])
  G <- length(unique(s$g))
  q <- qt(0.975, G - 1)
  m <- unname(coef(fit))
  clu <- c(clu, jobj(name = jstr(s$name), x = jarr(s$x), cluster = jsarr(s$g), mean = jnum(m),
    ci = jarr(c(m - q * se, m + q * se)), clusters = jnum(G)))
}

writeLines(paste0("{\n\"r_version\":", jstr(paste(R.version$major, R.version$minor, sep = ".")),
  ",\n\"bounds\":", jlist(bounds), ",\n\"zero_chance\":", jlist(zero),
  ",\n\"poisson\":", jlist(poisson), ",\n\"wilcoxon\":", jlist(wil),
  ",\n\"jacobson_truax\":", jlist(jt), ",\n\"clustered\":", jlist(clu), "\n}"), out)
