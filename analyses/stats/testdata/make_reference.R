# make_reference.R writes the reference fixtures for package analyses/stats.
#
# Run from the repository root:
#
#     Rscript analyses/stats/testdata/make_reference.R
#
# It needs base R and the recommended package survival only, and writes
# analyses/stats/testdata/reference.json: every dataset together with R's results
# on it. JSON is written by testdata/json.R (jsonlite is not assumed), numbers with 17
# significant digits, NA/NaN as null and infinities as the strings "Inf"/"-Inf".
#
# Where R's own defaults stop an iteration early (uniroot in fisher.test,
# coxph.control, glm.control) the script tightens the tolerance so that the
# fixture holds the converged value; the Go tests compare at 1e-6 relative.

suppressPackageStartupMessages(library(survival))

out <- if (dir.exists("analyses/stats/testdata")) "analyses/stats/testdata/reference.json" else "reference.json"

source(if (dir.exists("analyses/stats/testdata")) "analyses/stats/testdata/json.R" else "json.R")

## ---- 1. single proportions ----------------------------------------------------

props <- list(c(0, 1), c(1, 1), c(0, 5), c(5, 5), c(1, 10), c(3, 10), c(7, 19),
              c(0, 19), c(19, 19), c(50, 200), c(123, 1000), c(1, 2))
confs <- c(0.95, 0.90, 0.99)
prop_items <- c()
for (p in props) for (cf in confs) {
  x <- as.integer(p[1]); n <- as.integer(p[2])
  w <- suppressWarnings(prop.test(x, n, conf.level = cf, correct = FALSE))$conf.int
  cp <- binom.test(x, n, conf.level = cf)$conf.int
  prop_items <- c(prop_items, jobj(events = jnum(x), n = jnum(n), conf = jnum(cf),
    wilson = jarr(c(w[1], w[2])), clopper_pearson = jarr(c(cp[1], cp[2]))))
}

## ---- 2. two proportions ---------------------------------------------------------

wilson <- function(x, n, cf) {
  ci <- suppressWarnings(prop.test(x, n, conf.level = cf, correct = FALSE))$conf.int
  c(ci[1], ci[2])
}
newcombe <- function(x1, n1, x2, n2, cf) {   # Newcombe (1998) method 10
  p1 <- x1 / n1; p2 <- x2 / n2
  w1 <- wilson(x1, n1, cf); w2 <- wilson(x2, n2, cf)
  d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
katz <- function(x1, n1, x2, n2, cf) {       # log-scale Wald interval for the risk ratio
  rr <- (x1 / n1) / (x2 / n2)
  if (x1 == 0 || x2 == 0) return(c(rr, NA, NA))
  se <- sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
  z <- qnorm(1 - (1 - cf) / 2)
  c(rr, exp(log(rr) - z * se), exp(log(rr) + z * se))
}
cond_mle <- function(tab) {                   # fisher.test's estimate, solved to 1e-14
  m <- sum(tab[, 1]); n <- sum(tab[, 2]); k <- sum(tab[1, ]); x <- tab[1, 1]
  lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dn <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mn <- function(ncp) { if (ncp == 0) return(lo); if (ncp == Inf) return(hi); sum(support * dn(ncp)) }
  if (x == lo) return(0)
  if (x == hi) return(Inf)
  mu <- mn(1)
  if (mu > x) uniroot(function(t) mn(t) - x, c(0, 1), tol = 1e-15)$root
  else if (mu < x) 1 / uniroot(function(t) mn(1 / t) - x, c(.Machine$double.eps, 1), tol = 1e-15)$root
  else 1
}
two <- list(c(3, 10, 1, 12), c(0, 19, 4, 20), c(12, 40, 12, 40), c(15, 100, 30, 110),
            c(0, 10, 0, 12), c(10, 10, 0, 10), c(5, 30, 5, 8), c(1, 2, 0, 1),
            c(7, 25, 2, 24), c(40, 120, 25, 130), c(9, 9, 8, 8), c(300, 2000, 250, 2100),
            c(5, 10, 5, 10))
two_items <- c()
for (g in two) for (cf in c(0.95, 0.90)) {
  x1 <- as.integer(g[1]); n1 <- as.integer(g[2]); x2 <- as.integer(g[3]); n2 <- as.integer(g[4])
  tab <- matrix(c(x1, x2, n1 - x1, n2 - x2), 2)
  ft <- fisher.test(tab)
  two_items <- c(two_items, jobj(events1 = jnum(x1), n1 = jnum(n1), events2 = jnum(x2), n2 = jnum(n2),
    conf = jnum(cf), risk_difference = jarr(newcombe(x1, n1, x2, n2, cf)),
    risk_ratio = jarr(katz(x1, n1, x2, n2, cf)), fisher_p = jnum(ft$p.value),
    fisher_or_r = jnum(unname(ft$estimate)), fisher_or = jnum(cond_mle(tab))))
}

## ---- 3. Kaplan-Meier ------------------------------------------------------------

set.seed(20240611)
km_sets <- list(
  hand = list(time = c(1, 2, 2, 3, 4, 4, 5, 6, 7, 8), event = c(1, 1, 0, 1, 1, 1, 0, 1, 0, 0)),
  seeded_ties = local({
    n <- 60
    t <- ceiling(rexp(n, 1 / 10)); c <- ceiling(runif(n, 5, 30))
    list(time = pmin(t, c), event = as.integer(t <= c))
  }),
  seeded_months = local({
    n <- 150
    t <- round(rweibull(n, 1.3, 20), 1); c <- round(runif(n, 1, 36), 1)
    list(time = pmin(t, c), event = as.integer(t <= c))
  }),
  plateau_half = list(time = c(1, 2, 3, 4), event = c(1, 1, 1, 1)),
  ends_at_half = list(time = c(1, 2, 3, 4), event = c(1, 1, 0, 0)),
  ends_at_zero = list(time = c(2, 3, 3, 5, 6), event = c(0, 1, 1, 0, 1)),
  all_censored = list(time = c(3, 5, 8), event = c(0, 0, 0)),
  not_reached = list(time = c(1, 3, 4, 6, 6, 9, 12), event = c(0, 1, 0, 0, 0, 1, 0)),
  single_event = list(time = c(4), event = c(1)),
  time_zero = list(time = c(0, 0, 1, 2, 2, 3), event = c(1, 0, 1, 1, 0, 1))
)
km_times <- list(
  hand = c(0.5, 2, 4, 7.5, 10),
  seeded_ties = c(1, 5, 10, 15, 20, 40),
  seeded_months = c(3, 6, 12, 24, 36),
  plateau_half = c(1, 2.5, 4, 5),
  ends_at_half = c(1, 2, 3, 6),
  ends_at_zero = c(1, 3, 6, 7),
  all_censored = c(2, 5, 9),
  not_reached = c(2, 6, 12),
  single_event = c(1, 4, 5),
  time_zero = c(0, 1, 2.5, 3)
)
km_items <- c()
for (name in names(km_sets)) {
  d <- km_sets[[name]]
  curves <- c()
  for (ct in c("log", "log-log")) {
    fit <- survfit(Surv(d$time, d$event) ~ 1, conf.type = ct, conf.int = 0.95)
    s <- summary(fit)
    se_log <- fit$std.err[fit$n.event > 0]
    st <- summary(fit, times = km_times[[name]], extend = TRUE)
    q <- quantile(fit, probs = 0.5, conf.int = TRUE)
    curves <- c(curves, jobj(conf_type = jstr(ct),
      time = jarr(s$time), n_risk = jarr(s$n.risk), n_event = jarr(s$n.event),
      n_censor = jarr(s$n.censor), surv = jarr(s$surv), std_err = jarr(s$std.err),
      std_err_log = jarr(se_log), lower = jarr(s$lower), upper = jarr(s$upper),
      at = jobj(time = jarr(st$time), n_risk = jarr(st$n.risk), n_event = jarr(st$n.event),
        n_censor = jarr(st$n.censor), surv = jarr(st$surv), std_err = jarr(st$std.err),
        lower = jarr(st$lower), upper = jarr(st$upper)),
      median = jarr(c(q$quantile, q$lower, q$upper))))
  }
  km_items <- c(km_items, jobj(name = jstr(name), time = jarr(d$time),
    event = jarr(as.logical(d$event)), times = jarr(km_times[[name]]),
    curves = jlist(curves)))
}

## ---- 4. log-rank ----------------------------------------------------------------

set.seed(7)
lr_sets <- list(
  two_groups = local({
    n <- 80; g <- rep(0:1, each = n / 2)
    t <- ceiling(rexp(n, ifelse(g == 1, 1 / 8, 1 / 14))); c <- ceiling(runif(n, 4, 24))
    list(time = pmin(t, c), event = as.integer(t <= c), group = g)
  }),
  three_groups = local({
    n <- 120; g <- rep(0:2, each = n / 3)
    t <- round(rexp(n, c(1 / 10, 1 / 12, 1 / 20)[g + 1]), 0) + 1; c <- ceiling(runif(n, 6, 30))
    list(time = pmin(t, c), event = as.integer(t <= c), group = g)
  }),
  group_without_events = list(time = c(2, 3, 3, 5, 7, 8, 1, 4, 6, 9, 10, 12),
                              event = c(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0),
                              group = c(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1)),
  tiny = list(time = c(1, 2, 3, 2), event = c(1, 0, 1, 1), group = c(0, 0, 1, 1)),
  identical_groups = list(time = c(1, 2, 3, 1, 2, 3), event = c(1, 1, 0, 1, 1, 0), group = c(0, 0, 0, 1, 1, 1))
)
lr_items <- c()
for (name in names(lr_sets)) {
  d <- lr_sets[[name]]
  sd <- survdiff(Surv(d$time, d$event) ~ factor(d$group))
  df <- sum(sd$exp > 0) - 1
  lr_items <- c(lr_items, jobj(name = jstr(name), time = jarr(d$time), event = jarr(as.logical(d$event)),
    group = jarr(as.integer(d$group)), chisq = jnum(sd$chisq), df = jnum(as.integer(df)),
    p = jnum(pchisq(sd$chisq, df, lower.tail = FALSE)), observed = jarr(sd$obs), expected = jarr(sd$exp),
    variance = jmat(sd$var)))
}

## ---- 5. Cox proportional hazards (Efron) ----------------------------------------

set.seed(99)
cox_sets <- list(
  three_covariates = local({
    n <- 200
    x1 <- rbinom(n, 1, 0.4); x2 <- round(rnorm(n, 35, 10)); x3 <- rpois(n, 2)
    lp <- 0.5 * x1 - 0.02 * (x2 - 35) + 0.2 * x3
    t <- ceiling(rexp(n, exp(lp) / 15)); c <- ceiling(runif(n, 5, 40))
    list(time = pmin(t, c), event = as.integer(t <= c), x = cbind(x1, x2, x3))
  }),
  heavy_ties = local({
    n <- 60
    x1 <- rbinom(n, 1, 0.5); x2 <- rnorm(n)
    t <- ceiling(rexp(n, exp(0.7 * x1 + 0.3 * x2) / 3)); c <- sample(2:8, n, replace = TRUE)
    list(time = pmin(t, c), event = as.integer(t <= c), x = cbind(x1, x2))
  }),
  large = local({
    n <- 1500
    x1 <- rbinom(n, 1, 0.3); x2 <- round(runif(n, 18, 70)); x3 <- rnorm(n, 0, 2)
    t <- ceiling(rexp(n, exp(-0.4 * x1 + 0.015 * x2 + 0.1 * x3) / 40) * 30)  # days
    c <- ceiling(runif(n, 180, 1460))
    list(time = pmin(t, c), event = as.integer(t <= c), x = cbind(x1, x2, x3))
  }),
  one_covariate_small = list(time = c(1, 2, 2, 3, 4, 4, 5, 6, 7, 8), event = c(1, 1, 0, 1, 1, 1, 0, 1, 0, 0),
                             x = cbind(treat = c(0, 1, 0, 1, 0, 1, 1, 0, 1, 1)))
)
cox_items <- c()
for (name in names(cox_sets)) {
  d <- cox_sets[[name]]
  fit <- coxph(Surv(d$time, d$event) ~ d$x, ties = "efron",
               control = coxph.control(eps = 1e-14, toler.chol = 1e-15, iter.max = 100))
  s <- summary(fit)
  cf <- s$coefficients; ci <- s$conf.int
  cox_items <- c(cox_items, jobj(name = jstr(name), time = jarr(d$time), event = jarr(as.logical(d$event)),
    x = jmat(d$x), coef = jarr(cf[, "coef"]), se = jarr(cf[, "se(coef)"]), z = jarr(cf[, "z"]),
    p = jarr(cf[, "Pr(>|z|)"]), hr = jarr(ci[, "exp(coef)"]), hr_lower = jarr(ci[, "lower .95"]),
    hr_upper = jarr(ci[, "upper .95"]), loglik = jarr(fit$loglik), n = jnum(fit$n), nevent = jnum(fit$nevent)))
}

## ---- 6. paired t ----------------------------------------------------------------

set.seed(3)
pt_sets <- list(
  twelve = local({ x <- round(rnorm(12, 3, 1), 1); list(x = x, y = round(x - rnorm(12, 0.4, 0.6), 1)) }),
  two = list(x = c(3, 5), y = c(2, 2)),
  ssm_scores = list(x = c(2, 3, 3, 4, 2, 5, 3, 4, 4, 3, 2, 4, 5, 3, 3), y = c(1, 3, 2, 3, 2, 4, 2, 3, 4, 2, 2, 3, 4, 3, 1))
)
pt_items <- c()
for (name in names(pt_sets)) for (cf in c(0.95, 0.90)) {
  d <- pt_sets[[name]]
  tt <- t.test(d$x, d$y, paired = TRUE, conf.level = cf)
  pt_items <- c(pt_items, jobj(name = jstr(name), conf = jnum(cf), x = jarr(d$x), y = jarr(d$y),
    mean_diff = jnum(unname(tt$estimate)), ci = jarr(tt$conf.int), t = jnum(unname(tt$statistic)),
    df = jnum(unname(tt$parameter)), p = jnum(tt$p.value)))
}

## ---- 7. logistic regression and adjusted rate -------------------------------------

set.seed(11)
lg_sets <- list(
  cohorts = local({
    n <- 500
    cohort <- sample(2019:2022, n, replace = TRUE)
    age <- round(runif(n, 18, 60)); male <- rbinom(n, 1, 0.8); priors <- rpois(n, 3)
    programme <- rbinom(n, 1, 0.3)
    lp <- -1 - 0.03 * (age - 35) + 0.3 * male + 0.25 * priors - 0.4 * programme + 0.1 * (cohort - 2020)
    y <- rbinom(n, 1, plogis(lp))
    list(y = y, x = cbind(age = age, male = male, priors = priors, c2020 = as.integer(cohort == 2020),
                          c2021 = as.integer(cohort == 2021), c2022 = as.integer(cohort == 2022)),
         group = programme)
  }),
  small = list(y = c(0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1),
               x = cbind(x = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)), group = c(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0))
)
lg_items <- c()
for (name in names(lg_sets)) {
  d <- lg_sets[[name]]
  fit0 <- glm(d$y ~ d$x, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  # summary.glm takes its standard errors from the weights of the last IRLS
  # iteration, i.e. at the previous estimate; restarting from the converged
  # estimate puts them at the estimate itself (a 1e-8 relative difference).
  fit <- glm(d$y ~ d$x, family = binomial, start = coef(fit0), control = glm.control(epsilon = 1e-14, maxit = 100))
  cf <- summary(fit)$coefficients
  g <- d$group == 1
  obs <- mean(d$y[g]); ex <- mean(fitted(fit)[g]); overall <- mean(d$y)
  lg_items <- c(lg_items, jobj(name = jstr(name), y = jarr(as.logical(d$y)), x = jmat(d$x),
    group = jarr(as.logical(g)), coef = jarr(cf[, 1]), se = jarr(cf[, 2]), z = jarr(cf[, 3]), p = jarr(cf[, 4]),
    deviance = jnum(fit$deviance), null_deviance = jnum(fit$null.deviance), loglik = jnum(as.numeric(logLik(fit))),
    observed = jnum(obs), expected = jnum(ex), overall = jnum(overall), adjusted = jnum(obs - ex + overall)))
}

## ---- write --------------------------------------------------------------------------

json <- paste0("{\n",
  jstr("r_version"), ":", jstr(R.version.string), ",\n",
  jstr("survival_version"), ":", jstr(as.character(packageVersion("survival"))), ",\n",
  jstr("proportions"), ":", jlist(prop_items), ",\n",
  jstr("two_proportions"), ":", jlist(two_items), ",\n",
  jstr("kaplan_meier"), ":", jlist(km_items), ",\n",
  jstr("logrank"), ":", jlist(lr_items), ",\n",
  jstr("cox"), ":", jlist(cox_items), ",\n",
  jstr("paired_t"), ":", jlist(pt_items), ",\n",
  jstr("logistic"), ":", jlist(lg_items), "\n}\n")
writeLines(json, out, sep = "")
cat("wrote", out, "\n")
