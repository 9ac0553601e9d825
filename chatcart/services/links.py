"""Public URLs of the shop: deep links to products and order tracking, never the home page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from chatcart.commerce.catalog import Product
from chatcart.commerce.orders import Order


@dataclass(frozen=True)
class Links:
    base_url: str

    def product(self, workspace_id: str, product: Product) -> str:
        if product.link:
            return product.link
        return f"{self.base_url}/shop/{quote(workspace_id)}/p/{quote(product.id, safe='')}"

    def asset(self, path: str) -> str:
        return path if "://" in path or not path else f"{self.base_url}/{path.lstrip('/')}"

    def tracking(self, order: Order) -> str:
        return (
            f"{self.base_url}/shop/{quote(order.workspace_id)}/orders/{order.number}?t={order.tracking_token}"
        )
