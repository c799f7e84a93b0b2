# make_reference.R writes reference.json for TestStandardisedRatesAgainstR
# (analyses/adjust_test.go) from subjects.csv (240 made-up subjects):
# glm(hit ~ age + female + prior, binomial) over both programmes, per
# programme E = mean fitted probability, O − E + overall, and the O/E ratio
# with poisson.test(O, E). Run from this folder or the repository root:
#
#     Rscript analyses/testdata/standardised/make_reference.R
d <- if (dir.exists("analyses/testdata/standardised")) "analyses/testdata/standardised" else "."
source(file.path(if (dir.exists("analyses/stats/testdata")) "analyses/stats/testdata" else "../../stats/testdata", "json.R"))
s <- read.csv(file.path(d, "subjects.csv"))
fit <- glm(hit ~ age + female + prior, family = binomial, data = s, control = glm.control(epsilon = 1e-14, maxit = 100))
overall <- mean(s$hit)
items <- c()
for (p in c("A", "B")) {
  g <- s$programme == p
  O <- sum(s$hit[g]); E <- sum(fitted(fit)[g]); n <- sum(g)
  pt <- poisson.test(O, E)
  items <- c(items, jobj(programme = jstr(p), n = jnum(n), observed = jnum(O / n), expected = jnum(E / n),
    overall = jnum(overall), adjusted = jnum(O / n - E / n + overall), oe = jnum(O / E), oe_ci = jarr(pt$conf.int)))
}
writeLines(paste0("{\"r_version\":", jstr(paste(R.version$major, R.version$minor, sep = ".")), ",\n\"programmes\":", jlist(items), "\n}"), file.path(d, "reference.json"))
