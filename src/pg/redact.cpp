// Keeps passwords, hashes and session ids out of printed plans (EXPLAIN VERBOSE, auto_explain).
//
// A plan prints each constant with its type's output function, and a custom plan holds the values of
// the bind parameters as constants. So the planner support function below, attached to every function
// that takes a secret, rewrites each constant inside a secret argument into a constant of type
// lucia_auth.redacted (the same bytes; its output function prints only a marker) under a call of
// lucia_auth.redacted_value, which hands the bytes back unchanged at execution:
//
//   lucia_auth.use_key('email'::text, 'ada'::text, '<redacted>'::lucia_auth.redacted)
//
// The call is marked as an implicit cast, so the plan shows only its argument. It is a function call
// and not a binary-compatible relabeling because the planner folds a relabeled constant back into a
// plain one whenever it simplifies the expression again (when it inlines an SQL function around it);
// redacted_value is STABLE so that it is never folded either.
//
// A secret argument is one named password, hash, session_id, cookie_header or authorization_header.
// Functions whose result is itself a secret and can be computed at planning time (the session id read
// from a cookie or an Authorization header, a Set-Cookie value) are declared STABLE so that the planner
// does not fold them into a plain constant: this support function folds them instead, into a redacted
// one.
#include "pg/boundary.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

#include <cstring>

namespace {

// What a redacted value prints as.
constexpr const char kMarker[] = "<redacted>";

// Argument names that hold a secret, in every function the support function is attached to.
constexpr const char* kSecretArguments[] = {"password", "hash", "session_id", "cookie_header",
                                            "authorization_header"};

// Functions whose result is a secret and depends on their arguments only: declared STABLE, folded here.
constexpr const char* kFoldedSecretResults[] = {"read_session_cookie", "read_bearer_token",
                                                "create_session_cookie"};

bool IsOneOf(const char* name, const char* const* names, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (std::strcmp(name, names[i]) == 0) return true;
  }
  return false;
}

// The type and the function that carry a redacted value, in the schema of the function being planned.
struct Carrier {
  Oid type;
  Oid value_function;
};

Carrier FindCarrier(Oid schema) {
  Carrier carrier;
  carrier.type =
      GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("redacted"), ObjectIdGetDatum(schema));
  carrier.value_function = InvalidOid;
  if (OidIsValid(carrier.type)) {
    carrier.value_function =
        GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum("redacted_value"),
                        PointerGetDatum(buildoidvector(&carrier.type, 1)), ObjectIdGetDatum(schema));
  }
  if (!OidIsValid(carrier.value_function)) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("lucia_auth.redacted_value(lucia_auth.redacted) is missing"),
                    errhint("Run ALTER EXTENSION lucia_auth UPDATE.")));
  }
  return carrier;
}

// The constant, redacted: redacted_value('<redacted>'::lucia_auth.redacted), relabeled to the
// constant's own type when that is not text.
Node* RedactConst(const Const* constant, const Carrier& carrier) {
  Const* hidden = makeConst(carrier.type, -1, InvalidOid, -1, constant->constvalue, false, false);
  hidden->location = constant->location;
  bool is_text = constant->consttype == TEXTOID;
  FuncExpr* value =
      makeFuncExpr(carrier.value_function, TEXTOID, list_make1(hidden),
                   is_text ? constant->constcollid : DEFAULT_COLLATION_OID, InvalidOid, COERCE_IMPLICIT_CAST);
  value->location = constant->location;
  if (is_text && constant->consttypmod == -1) return reinterpret_cast<Node*>(value);
  return reinterpret_cast<Node*>(makeRelabelType(reinterpret_cast<Expr*>(value), constant->consttype,
                                                 constant->consttypmod, constant->constcollid,
                                                 COERCE_IMPLICIT_CAST));
}

struct RedactContext {
  Carrier carrier;
  bool changed;
};

// Redacts every constant of a variable-length type in an argument expression. Values already redacted
// are left as they are, and so are sub-queries (planned on their own, later).
Node* RedactMutator(Node* node, void* arg) {
  auto* context = static_cast<RedactContext*>(arg);
  if (node == nullptr) return nullptr;
  if (IsA(node, Const)) {
    const Const* constant = reinterpret_cast<const Const*>(node);
    if (constant->constisnull || constant->constlen != -1 || constant->consttype == context->carrier.type) {
      return node;
    }
    context->changed = true;
    return RedactConst(constant, context->carrier);
  }
  if (IsA(node, FuncExpr) && reinterpret_cast<FuncExpr*>(node)->funcid == context->carrier.value_function) {
    return node;
  }
  if (IsA(node, Query)) return node;
  // PostgreSQL declares the mutator without a prototype; void (*)() converts to any function type.
  auto mutator = reinterpret_cast<Node* (*)()>(reinterpret_cast<void (*)()>(RedactMutator));
  return expression_tree_mutator(node, mutator, arg);
}

bool AllConst(List* args) noexcept {
  ListCell* cell;
  foreach (cell, args) {
    if (!IsA(lfirst(cell), Const)) return false;
  }
  return true;
}

}  // namespace

// SQL type input: lucia_auth.redacted_in(cstring) → lucia_auth.redacted. No value can be written: a
// redacted value exists only inside a plan. The message does not repeat the input.
LUCIA_FUNCTION(lucia_redacted_in) {
  ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                  errmsg("values of type lucia_auth.redacted cannot be written"),
                  errdetail("lucia_auth makes them only inside query plans, to hide secret arguments.")));
  PG_RETURN_NULL();
}

// SQL type output: lucia_auth.redacted_out(lucia_auth.redacted) → cstring. Never the value itself.
LUCIA_FUNCTION(lucia_redacted_out) { PG_RETURN_CSTRING(pstrdup(kMarker)); }

// SQL function: lucia_auth.redacted_value(lucia_auth.redacted) → text. The bytes, unchanged.
LUCIA_FUNCTION(lucia_redacted_value) { PG_RETURN_DATUM(PG_GETARG_DATUM(0)); }

// SQL function: lucia_auth.redact_support(internal) → internal. Planner support (SupportRequestSimplify)
// of the functions that take or return secrets; see the top of this file.
LUCIA_FUNCTION(lucia_redact_support) {
  Node* request = reinterpret_cast<Node*>(PG_GETARG_POINTER(0));
  if (!IsA(request, SupportRequestSimplify)) PG_RETURN_POINTER(nullptr);
  FuncExpr* call = reinterpret_cast<SupportRequestSimplify*>(request)->fcall;

  HeapTuple proc = SearchSysCache1(PROCOID, ObjectIdGetDatum(call->funcid));
  if (!HeapTupleIsValid(proc)) PG_RETURN_POINTER(nullptr);
  auto* form = reinterpret_cast<Form_pg_proc>(GETSTRUCT(proc));
  Oid schema = form->pronamespace;
  bool fold_result = IsOneOf(NameStr(form->proname), kFoldedSecretResults, lengthof(kFoldedSecretResults));
  Oid* arg_types;
  char** arg_names;
  char* arg_modes;
  int arg_count = get_func_arg_info(proc, &arg_types, &arg_names, &arg_modes);
  ReleaseSysCache(proc);

  RedactContext context;
  context.carrier = FindCarrier(schema);
  context.changed = false;

  if (fold_result && AllConst(call->args)) {
    // What the planner does for an immutable function with constant arguments, then redacted.
    FuncExpr* folded = makeFuncExpr(call->funcid, call->funcresulttype, call->args, call->funccollid,
                                    call->inputcollid, COERCE_EXPLICIT_CALL);
    Expr* result = evaluate_expr(reinterpret_cast<Expr*>(folded), call->funcresulttype, -1, call->funccollid);
    PG_RETURN_POINTER(RedactMutator(reinterpret_cast<Node*>(result), &context));
  }

  List* args = NIL;
  ListCell* cell;
  int position = 0;
  foreach (cell, call->args) {
    Node* arg = static_cast<Node*>(lfirst(cell));
    if (arg_names != nullptr && position < arg_count && arg_names[position] != nullptr &&
        IsOneOf(arg_names[position], kSecretArguments, lengthof(kSecretArguments))) {
      arg = RedactMutator(arg, &context);
    }
    args = lappend(args, arg);
    ++position;
  }
  if (!context.changed) PG_RETURN_POINTER(nullptr);
  FuncExpr* rewritten = makeFuncExpr(call->funcid, call->funcresulttype, args, call->funccollid,
                                     call->inputcollid, call->funcformat);
  rewritten->funcretset = call->funcretset;
  rewritten->funcvariadic = call->funcvariadic;
  rewritten->location = call->location;
  PG_RETURN_POINTER(rewritten);
}
