# make_robust.R writes the reference fixture for the comparison statistics of
# issue 14 in package analyses/stats: the person-clustered (robust) variance
# of a Cox model, its score residuals, and the Schoenfeld-residual test of
# proportional hazards.
#
# Run from the repository root (or from analyses/stats/testdata):
#
#     Rscript analyses/stats/testdata/make_robust.R
#
# R with the survival package (3.5-3 was used); JSON by json.R. Writes
# analyses/stats/testdata/robust.json. Each case holds its data, so the Go
# test fits the same rows:
#   - coxph(Surv(time, status) ~ ., ties = "efron") with + cluster(id):
#     coefficients, naive and robust standard errors (fit$naive.var, fit$var)
#   - residuals(fit, type = "score") of the model without cluster
#   - cox.zph(fit) (transform "km", global), chisq and p per term and GLOBAL

here <- dir.exists("analyses/stats/testdata")
out <- if (here) "analyses/stats/testdata/robust.json" else "robust.json"
source(if (here) "analyses/stats/testdata/json.R" else "json.R")
suppressPackageStartupMessages(library(survival))

mkcase <- function(name, d, covs) {
  f0 <- as.formula(paste("Surv(time, status) ~", paste(covs, collapse = " + ")))
  f1 <- as.formula(paste("Surv(time, status) ~", paste(covs, collapse = " + "), "+ cluster(id)"))
  fit0 <- coxph(f0, data = d, ties = "efron", control = coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 50))
  fit1 <- coxph(f1, data = d, ties = "efron", control = coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 50))
  zph <- cox.zph(fit0)
  X <- as.matrix(d[, covs, drop = FALSE])
  jobj(name = jstr(name),
       time = jarr(d$time), status = jarr(as.integer(d$status)), id = jsarr(d$id),
       x = jmat(X),
       coef = jarr(unname(coef(fit1))),
       naive_se = jarr(sqrt(diag(fit1$naive.var))),
       robust_se = jarr(sqrt(diag(fit1$var))),
       robust_p = jarr(unname(summary(fit1)$coefficients[, "Pr(>|z|)"])),
       score = jmat(residuals(fit0, type = "score")),
       zph_chisq = jarr(unname(zph$table[, "chisq"])),
       zph_df = jarr(as.integer(zph$table[, "df"])),
       zph_p = jarr(unname(zph$table[, "p"])))
}

set.seed(14)
cases <- c()

## (a) B is a subset of A: every person of B is also in A. Stacked data, one
## row per person and programme; the person id is the cluster.
nA <- 150
idA <- sprintf("p%03d", 1:nA)
inB <- sample(nA, 60)
age <- round(runif(nA, 18, 70))
sexv <- rbinom(nA, 1, 0.3)
rowsA <- data.frame(id = idA, prog = 0, age = age, sexv = sexv)
rowsB <- data.frame(id = idA[inB], prog = 1, age = age[inB], sexv = sexv[inB])
d <- rbind(rowsA, rowsB)
rate <- 0.002 * exp(-0.5 * d$prog + 0.01 * (d$age - 40))
t <- ceiling(rexp(nrow(d), rate))
cens <- sample(200:900, nrow(d), replace = TRUE)
d$time <- pmin(t, cens); d$status <- as.integer(t <= cens)
# a person's two rows share their event more often than chance: copy the
# A row's time to the B row for a third of the overlap
k <- inB[1:20]
d$time[nA + 1:20] <- d$time[k]; d$status[nA + 1:20] <- d$status[k]
cases <- c(cases, mkcase("subset_stacked", d, c("prog")))
cases <- c(cases, mkcase("subset_stacked_adjusted", d, c("prog", "age", "sexv")))

## ties heavy: times on a coarse grid, a non-proportional effect
n <- 200
g <- rbinom(n, 1, 0.5)
t1 <- ifelse(g == 1, rweibull(n, 0.6, 300), rweibull(n, 1.6, 300))
d2 <- data.frame(id = sprintf("q%03d", 1:n), g = g, z = round(rnorm(n), 2))
d2$time <- pmax(1, round(pmin(t1, 600) / 10) * 10)
d2$status <- as.integer(t1 < 600)
d2$id[seq(2, 60, 2)] <- d2$id[seq(1, 59, 2)]   # 30 clusters of two rows
cases <- c(cases, mkcase("nonproportional_ties", d2, c("g", "z")))

writeLines(paste0("{\"cases\":[", paste(cases, collapse = ","), "]}"), out)
