# make_reference.R writes subjects.csv and reference.json for
# TestStandardisedRatesAgainstR (analyses/adjust_test.go): 1200 made-up
# subjects (set.seed(1515); some without an age, some outside the justice
# coverage, whose prior count is unknown, written as an empty cell), and
# glm(hit ~ age band + female + prior band, binomial) over both programmes,
# the bands as analyses/adjust.go defines them (modelAgeBands, priorBands),
# unknown a band of its own, each factor's baseline its most populous band;
# per programme E = mean fitted probability, O − E + overall, and the O/E
# ratio with poisson.test(O, E). Run from this folder or the repository root:
#
#     Rscript analyses/testdata/standardised/make_reference.R
d <- if (dir.exists("analyses/testdata/standardised")) "analyses/testdata/standardised" else "."
source(file.path(if (dir.exists("analyses/stats/testdata")) "analyses/stats/testdata" else "../../stats/testdata", "json.R"))
set.seed(1515)
n <- 1200
programme <- sample(c("A", "B"), n, replace = TRUE, prob = c(0.45, 0.55))
age <- as.integer(round(runif(n, 16, 70)))
prior <- rpois(n, 2.2) + ifelse(runif(n) < 0.12, rpois(n, 9), 0)
female <- as.integer(runif(n) < 0.3)
age[runif(n) < 0.06] <- NA
prior[runif(n) < 0.08] <- NA
lp <- -0.4 + 0.35 * (programme == "A") - 0.025 * ifelse(is.na(age), 35, age - 35) - 0.3 * female +
  0.12 * ifelse(is.na(prior), 2, pmin(prior, 12))
hit <- as.integer(runif(n) < plogis(lp))
s <- data.frame(programme, age, female, prior, hit)
write.csv(s, file.path(d, "subjects.csv"), row.names = FALSE, quote = FALSE, na = "")

band <- function(x, breaks, labels) {
  b <- as.character(cut(x, breaks = breaks, labels = labels, right = FALSE))
  b[is.na(x)] <- "unknown"
  f <- droplevels(factor(b, levels = c(labels, "unknown")))
  relevel(f, ref = names(which.max(table(f))))   # which.max: the first band among equals
}
s$age_band <- band(s$age, c(-Inf, 18, 25, 30, 40, 50, Inf), c("<18", "18-24", "25-29", "30-39", "40-49", "50+"))
s$prior_band <- band(s$prior, c(-Inf, 1, 2, 5, 11, Inf), c("0", "1", "2-4", "5-10", "11+"))
fit <- glm(hit ~ age_band + female + prior_band, family = binomial, data = s, control = glm.control(epsilon = 1e-14, maxit = 100))
stopifnot(fit$converged)
overall <- mean(s$hit)
items <- c()
for (p in c("A", "B")) {
  g <- s$programme == p
  O <- sum(s$hit[g]); E <- sum(fitted(fit)[g]); n <- sum(g)
  pt <- poisson.test(O, E)
  items <- c(items, jobj(programme = jstr(p), n = jnum(n), observed = jnum(O / n), expected = jnum(E / n),
    overall = jnum(overall), adjusted = jnum(O / n - E / n + overall), oe = jnum(O / E), oe_ci = jarr(pt$conf.int)))
}
writeLines(paste0("{\"r_version\":", jstr(paste(R.version$major, R.version$minor, sep = ".")),
  ",\n\"parameters\":", jnum(length(coef(fit)) - 1L),
  ",\n\"events\":", jnum(sum(s$hit)),
  ",\n\"programmes\":", jlist(items), "\n}"), file.path(d, "reference.json"))
