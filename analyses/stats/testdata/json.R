# json.R: the tiny JSON writer of the R reference scripts
# (analyses/stats/testdata/make_reference.R, analyses/testdata/make_demo_reference.R),
# which source it. jsonlite is not assumed. Numbers are written with 17 significant
# digits, NA/NaN as null and infinities as the strings "Inf"/"-Inf" (what package
# analyses/stats/rref reads back).

jnum1 <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
  if (is.logical(x)) return(if (x) "true" else "false")
  if (is.integer(x)) return(sprintf("%d", x))
  sprintf("%.17g", x)
}
jnum <- function(x) {                 # scalar
  stopifnot(length(x) == 1)
  jnum1(x)
}
jarr <- function(x) {                 # vector (always an array, even of length 0 or 1)
  x <- as.vector(x)
  paste0("[", paste(vapply(seq_along(x), function(i) jnum1(x[i]), ""), collapse = ","), "]")
}
jmat <- function(m) {                 # matrix as array of rows
  m <- as.matrix(m)
  paste0("[", paste(vapply(seq_len(nrow(m)), function(i) jarr(m[i, ]), ""), collapse = ","), "]")
}
jstr <- function(s) paste0("\"", s, "\"")
jsarr <- function(s) paste0("[", paste(vapply(as.character(s), jstr, ""), collapse = ","), "]")
jobj <- function(...) {
  v <- list(...)
  paste0("{", paste0(jstr(names(v)), ":", unlist(v), collapse = ","), "}")
}
jlist <- function(items) paste0("[\n", paste(items, collapse = ",\n"), "\n]")
