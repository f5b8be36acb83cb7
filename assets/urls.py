from django.urls import path

from assets.views import handovers, incidents, items, stocktakes

app_name = "assets"

urlpatterns = [
    # 实物管理明细表 (the register)
    path("", items.item_list, name="item_list"),
    path("export.xlsx", items.item_export_xlsx, name="item_export_xlsx"),
    path("labels.pdf", items.item_labels_pdf, name="item_labels_pdf"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/move/", items.item_move, name="item_move"),
    path("items/<int:pk>/receive/", items.item_receive, name="item_receive"),
    path(
        "items/<int:pk>/stocktake/<int:line>/present/",
        items.item_confirm_present,
        name="item_confirm_present",
    ),
    path("items/<int:pk>/incident/", incidents.incident_report, name="incident_report"),
    path("q/<str:asset_no>/", items.item_qr, name="item_qr"),
    # the ledger
    path("ledger/", items.ledger, name="ledger"),
    path("ledger/export.xlsx", items.ledger_export_xlsx, name="ledger_export_xlsx"),
    # 实物交接
    path("handovers/", handovers.handover_list, name="handover_list"),
    path("handovers/start/<int:person>/", handovers.handover_start, name="handover_start"),
    path("handovers/<int:pk>/", handovers.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/pdf/", handovers.handover_pdf, name="handover_pdf"),
    path("handovers/<int:pk>/receiver/", handovers.handover_receiver, name="handover_receiver"),
    path("handovers/<int:pk>/count-all/", handovers.handover_count_all, name="handover_count_all"),
    path(
        "handovers/<int:pk>/receive-all/",
        handovers.handover_receive_all,
        name="handover_receive_all",
    ),
    path(
        "handovers/<int:pk>/lines/<int:line>/count/",
        handovers.handover_count,
        name="handover_count",
    ),
    path(
        "handovers/<int:pk>/lines/<int:line>/receive/",
        handovers.handover_receive,
        name="handover_receive",
    ),
    # 损失事件
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incidents.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/submit/", incidents.incident_submit, name="incident_submit"),
    # 盘点
    path("stocktakes/", stocktakes.stocktake_list, name="stocktake_list"),
    path("stocktakes/new/", stocktakes.stocktake_open, name="stocktake_open"),
    path("stocktakes/<int:pk>/", stocktakes.stocktake_detail, name="stocktake_detail"),
    path("stocktakes/<int:pk>/pdf/", stocktakes.stocktake_pdf, name="stocktake_pdf"),
    path("stocktakes/<int:pk>/count/", stocktakes.stocktake_count, name="stocktake_count"),
    path(
        "stocktakes/<int:pk>/lines/<int:line>/resolve/",
        stocktakes.stocktake_resolve,
        name="stocktake_resolve",
    ),
    path("stocktakes/<int:pk>/close/", stocktakes.stocktake_close, name="stocktake_close"),
    # 网点保管人
    path("custodians/", stocktakes.custodian_list, name="custodian_list"),
]
