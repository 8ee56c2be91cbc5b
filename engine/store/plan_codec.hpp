// Internal to the store: a compact binary encoding of model::Plan for the snapshot cache, so an
// unchanged plan is decoded in milliseconds instead of re-parsed from YAML.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace jvap::store::detail {

std::string encode_plan(const model::Plan& plan);
// nullopt when the bytes are not a plan of this encoding version (the cache is then rebuilt).
std::optional<model::Plan> decode_plan(std::string_view bytes);

}  // namespace jvap::store::detail
