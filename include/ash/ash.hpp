#pragma once
/// \file
/// Everything a user of ash_sqlite needs: resources, queries, actions and the SQLite repo.
/// (No header inside `include/` includes this one.)

#include "ash/core/actions.hpp"
#include "ash/core/error.hpp"
#include "ash/core/expr.hpp"
#include "ash/core/fields.hpp"
#include "ash/core/query.hpp"
#include "ash/core/resource.hpp"
#include "ash/core/resource_info.hpp"
#include "ash/core/result.hpp"
#include "ash/core/table_desc.hpp"
#include "ash/core/types.hpp"
#include "ash/sql/render.hpp"
#include "ash/sqlite/repo.hpp"
